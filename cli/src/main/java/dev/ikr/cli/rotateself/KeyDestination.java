package dev.ikr.cli.rotateself;

import dev.ikr.domain.DeliveryException;

/** Where the new key goes: exactly one place (the credentials file, a secret, a parameter or standard output). */
public interface KeyDestination {

    /**
     * Writes the new key.
     *
     * @return where it went, for the summary ({@code credentials-file:<path>#<profile>}, {@code secretsmanager:<arn>},
     *         {@code ssm:<name>}, {@code stdout})
     * @throws DeliveryException when the key was not written, or may have been
     */
    String write(NewKey key);
}
