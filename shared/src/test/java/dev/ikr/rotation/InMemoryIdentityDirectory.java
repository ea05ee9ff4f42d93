package dev.ikr.rotation;

import dev.ikr.domain.AccessKey;
import dev.ikr.domain.IamUser;
import dev.ikr.domain.IssuedAccessKey;
import dev.ikr.domain.KeyStatus;
import dev.ikr.port.IdentityDirectory;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** IAM in memory: users with tags, their keys, and the secrets it issued (so tests can look for leaks). */
final class InMemoryIdentityDirectory implements IdentityDirectory {

    enum Operation { CREATE_ACCESS_KEY, DELETE_ACCESS_KEY }

    private final Clock clock;
    private final List<String> journal;
    private final Map<String, IamUser> users = new LinkedHashMap<>();
    private final Map<String, List<AccessKey>> keys = new LinkedHashMap<>();
    private final List<String> issuedSecrets = new ArrayList<>();
    private final List<String> listedUsers = new ArrayList<>();
    private final Set<Operation> failing = EnumSet.noneOf(Operation.class);
    private Optional<Instant> creationTime = Optional.empty();
    private Optional<String> alias = Optional.empty();
    private int aliasLookups;
    private int created;

    /**
     * @param journal where every change is noted, in order, as {@code "<operation> <user>"}
     */
    InMemoryIdentityDirectory(Clock clock, List<String> journal) {
        this.clock = clock;
        this.journal = journal;
    }

    synchronized InMemoryIdentityDirectory user(String name, Map<String, String> tags) {
        users.put(name, new IamUser(name, tags));
        keys.putIfAbsent(name, new ArrayList<>());
        return this;
    }

    synchronized InMemoryIdentityDirectory key(String user, String keyId, KeyStatus status, Instant createdAt) {
        keys.computeIfAbsent(user, name -> new ArrayList<>()).add(new AccessKey(keyId, status, createdAt));
        return this;
    }

    synchronized void alias(String accountAlias) {
        alias = Optional.of(accountAlias);
    }

    /** Keys created from now on carry this creation time instead of the clock's. */
    synchronized void createKeysAt(Instant createdAt) {
        creationTime = Optional.of(createdAt);
    }

    synchronized void fail(Operation operation) {
        failing.add(operation);
    }

    synchronized void heal() {
        failing.clear();
    }

    synchronized List<String> keyIds(String user) {
        return keys.getOrDefault(user, List.of()).stream().map(AccessKey::id).toList();
    }

    synchronized List<String> issuedSecrets() {
        return List.copyOf(issuedSecrets);
    }

    synchronized String secretOf(int index) {
        return issuedSecrets.get(index);
    }

    /** The users whose keys were listed, in order. */
    synchronized List<String> listedUsers() {
        return List.copyOf(listedUsers);
    }

    synchronized int aliasLookups() {
        return aliasLookups;
    }

    synchronized int keysCreated() {
        return created;
    }

    @Override
    public void forEachUser(Consumer<IamUser> consumer) {
        List<IamUser> snapshot;
        synchronized (this) {
            snapshot = List.copyOf(users.values());
        }
        snapshot.forEach(consumer);
    }

    @Override
    public synchronized List<AccessKey> accessKeys(String user) {
        listedUsers.add(user);
        return keys.getOrDefault(user, List.of()).stream().sorted(Comparator.comparing(AccessKey::createdAt)).toList();
    }

    @Override
    public synchronized IssuedAccessKey createAccessKey(String user) {
        if (failing.contains(Operation.CREATE_ACCESS_KEY)) {
            throw new IllegalStateException("IAM refused to create a key (test)");
        }
        created++;
        String id = String.format("AKIANEWKEY%010d", created);
        String secret = String.format("wJalrXUtnFEMI/K7MDENG+bPxRfiCY%010d", created);
        keys.computeIfAbsent(user, name -> new ArrayList<>())
                .add(new AccessKey(id, KeyStatus.ACTIVE, creationTime.orElseGet(clock::instant)));
        issuedSecrets.add(secret);
        journal.add("createAccessKey " + user);
        return new IssuedAccessKey(id, secret);
    }

    @Override
    public synchronized KeyDeletion deleteAccessKey(String user, String keyId) {
        if (failing.contains(Operation.DELETE_ACCESS_KEY)) {
            throw new IllegalStateException("IAM refused to delete key " + keyId + " (test)");
        }
        journal.add("deleteAccessKey " + user + " " + keyId);
        boolean removed = keys.getOrDefault(user, new ArrayList<>()).removeIf(key -> key.id().equals(keyId));
        return removed ? KeyDeletion.DELETED : KeyDeletion.ALREADY_GONE;
    }

    @Override
    public synchronized Optional<String> accountAlias() {
        aliasLookups++;
        return alias;
    }
}
