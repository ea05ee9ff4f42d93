package dev.ikr.port;

import dev.ikr.domain.EncryptionKey;
import java.util.Optional;

/**
 * Where each user's encryption key is kept (SSM SecureString {@code /ikr/secret/iam/<user>}), with the access key
 * whose mail it decrypts: a user has one such key at a time, so it belongs to one rotation.
 */
public interface SecretStore {

    /** Stores (or replaces) the user's key, which decrypts the mail that delivered {@code deliveredKeyId}. */
    void putUserKey(String user, EncryptionKey key, String deliveredKeyId);

    Optional<EncryptionKey> userKey(String user);

    /**
     * Deletes the user's key if it belongs to the rotation that delivered {@code deliveredKeyId}, or names no
     * access key (written before IKR noted it); a key of another rotation is kept.
     */
    UserKeyDeletion deleteUserKey(String user, Optional<String> deliveredKeyId);

    /** What {@link #deleteUserKey} found. */
    enum UserKeyDeletion {
        DELETED,
        ABSENT,
        /** The key decrypts the mail of another (later) rotation: it stays until that rotation ends. */
        KEPT_FOR_ANOTHER_ROTATION
    }
}
