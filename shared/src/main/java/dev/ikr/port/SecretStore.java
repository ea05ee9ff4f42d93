package dev.ikr.port;

import dev.ikr.domain.EncryptionKey;
import java.util.Optional;

/** Where each user's encryption key is kept (SSM SecureString {@code /ikr/secret/iam/<user>}). */
public interface SecretStore {

    /** Stores (or replaces) the user's key. */
    void putUserKey(String user, EncryptionKey key);

    Optional<EncryptionKey> userKey(String user);

    /** Deletes the user's key; an absent key counts as deleted. */
    void deleteUserKey(String user);
}
