package dev.ikr.testing;

import dev.ikr.domain.EncryptionKey;
import dev.ikr.port.SecretStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** SSM Parameter Store in memory: one encryption key per user. */
public final class InMemorySecretStore implements SecretStore {

    private final List<String> journal;
    private final Map<String, EncryptionKey> keys = new ConcurrentHashMap<>();
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
    public void putUserKey(String user, EncryptionKey key) {
        if (failing) {
            throw new IllegalStateException("SSM is unavailable (test)");
        }
        keys.put(user, key);
        journal.add("putUserKey " + user);
    }

    @Override
    public Optional<EncryptionKey> userKey(String user) {
        return Optional.ofNullable(keys.get(user));
    }

    @Override
    public void deleteUserKey(String user) {
        if (failing) {
            throw new IllegalStateException("SSM is unavailable (test)");
        }
        keys.remove(user);
        journal.add("deleteUserKey " + user);
    }
}
