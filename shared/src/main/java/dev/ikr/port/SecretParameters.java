package dev.ikr.port;

import java.util.Optional;

/** Reads a secret the operator stored by name (the Mailgun API key, the SMTP password). */
public interface SecretParameters {

    /** The decrypted value, or empty when no parameter has that name. */
    Optional<String> read(String name);
}
