package dev.ikr.testing;

import dev.ikr.domain.EncryptionKey;
import dev.ikr.port.SecretStore.UserKeyDeletion;
import dev.ikr.port.SecretStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** SSM Parameter Store in memory: one encryption key per user, with the access key whose mail it decrypts. */
public final class InMemorySecretStore implements SecretStore {

    private final List<String> journal;
    private final Map<String, EncryptionKey> keys = new ConcurrentHashMap<>();
    private final Map<String, String> deliveredKeyIds = new ConcurrentHashMap<>();
    private volatile boolean failing;

    public InMemorySecretStore(List<String> journal) {
        this.journal = journal;
    }

    public void fail() {
        failing = true;
    }

    public void heal() {
        failing = false;
    }

    public Map<String, EncryptionKey> stored() {
        return Map.copyOf(keys);
    }

    @Override
    public void putUserKey(String user, EncryptionKey key, String deliveredKeyId) {
        if (failing) {
            throw new IllegalStateException("SSM is unavailable (test)");
        }
        keys.put(user, key);
        deliveredKeyIds.put(user, deliveredKeyId);
        journal.add("putUserKey " + user);
    }

    @Override
    public Optional<EncryptionKey> userKey(String user) {
        return Optional.ofNullable(keys.get(user));
    }

    @Override
    public UserKeyDeletion deleteUserKey(String user, Optional<String> deliveredKeyId) {
        if (failing) {
            throw new IllegalStateException("SSM is unavailable (test)");
        }
        if (!keys.containsKey(user)) {
            return UserKeyDeletion.ABSENT;
        }
        String noted = deliveredKeyIds.get(user);
        if (noted != null && !Optional.of(noted).equals(deliveredKeyId)) {
            journal.add("keepUserKey " + user);
            return UserKeyDeletion.KEPT_FOR_ANOTHER_ROTATION;
        }
        keys.remove(user);
        deliveredKeyIds.remove(user);
        journal.add("deleteUserKey " + user);
        return UserKeyDeletion.DELETED;
    }

    /** A key stored before IKR noted which access key it protects (as the original project wrote them). */
    public void putLegacyUserKey(String user, EncryptionKey key) {
        keys.put(user, key);
        deliveredKeyIds.remove(user);
    }
}
