package dev.ikr.port;

import dev.ikr.domain.KmsKey;
import dev.ikr.domain.KmsKeyCopy;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The KMS keys of the account and Region: what the KMS rotation reads and the few changes it makes. */
public interface KmsKeys {

    /** Every key, with its aliases, and the tags of every customer managed key. */
    List<KmsKey> all();

    /** One key with its aliases and tags; empty when KMS does not know it. */
    Optional<KmsKey> find(String keyId);

    /** The aliases that point at the key now ({@code ListAliases} for the key). */
    List<String> aliasesOf(String keyId);

    /** The key's policy (its {@code default} policy, the only one KMS has). */
    String keyPolicy(String keyId);

    /** Creates a key as {@code copy} says; never bypasses KMS's policy lockout safety check. */
    KmsKey create(KmsKeyCopy copy);

    /** Points an existing alias at {@code keyId} ({@code UpdateAlias}). */
    void pointAlias(String alias, String keyId);

    /** The public key of an asymmetric key, PEM-encoded ({@code -----BEGIN PUBLIC KEY-----}). */
    String publicKeyPem(String keyId);

    /** Disables the key: nothing can use it, and {@code EnableKey} undoes it. */
    void disable(String keyId);

    /**
     * Schedules the key's deletion after {@code pendingWindowDays} (7 to 30): {@code CancelKeyDeletion} brings it back
     * until then. A key already pending deletion keeps its date.
     *
     * @return when KMS deletes it
     */
    Instant scheduleDeletion(String keyId, int pendingWindowDays);

    /**
     * Turns on KMS's automatic rotation of a symmetric key.
     *
     * @return false when it was on already
     */
    boolean enableAutomaticRotation(String keyId);
}
