package dev.ikr.testing;

import dev.ikr.domain.AccessKey;
import dev.ikr.domain.CredentialReport;
import dev.ikr.domain.IamUser;
import dev.ikr.domain.IssuedAccessKey;
import dev.ikr.domain.KeyReport;
import dev.ikr.domain.KeyStatus;
import dev.ikr.domain.KeyUse;
import dev.ikr.port.IdentityDirectory;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** IAM in memory: users with tags, their keys, and the secrets it issued (so tests can look for leaks). */
public final class InMemoryIdentityDirectory implements IdentityDirectory {

    public enum Operation { CREATE_ACCESS_KEY, DELETE_ACCESS_KEY, UPDATE_ACCESS_KEY, GET_ACCESS_KEY_LAST_USED }

    private final Clock clock;
    private final List<String> journal;
    private final Map<String, IamUser> users = new LinkedHashMap<>();
    private final Map<String, List<AccessKey>> keys = new LinkedHashMap<>();
    private final List<String> issuedSecrets = new ArrayList<>();
    private final List<String> listedUsers = new ArrayList<>();
    private final Set<Operation> failing = EnumSet.noneOf(Operation.class);
    private final Set<String> refusingDeletions = new HashSet<>();
    private final Map<String, KeyUse> lastUses = new LinkedHashMap<>();
    private Optional<Instant> creationTime = Optional.empty();
    private Optional<String> alias = Optional.empty();
    /** Unavailable unless a test asks for a report: the tests written before the report see the key list decide. */
    private CredentialReport report = new CredentialReport.Unavailable("the in-memory directory has no report");
    private boolean reportFromKeys;
    private int reportRequests;
    private int aliasLookups;
    private int created;

    /**
     * @param journal where every change is noted, in order, as {@code "<operation> <user>"}
     */
    public InMemoryIdentityDirectory(Clock clock, List<String> journal) {
        this.clock = clock;
        this.journal = journal;
    }

    public synchronized InMemoryIdentityDirectory user(String name, Map<String, String> tags) {
        users.put(name, new IamUser(name, tags));
        keys.putIfAbsent(name, new ArrayList<>());
        return this;
    }

    public synchronized InMemoryIdentityDirectory key(String user, String keyId, KeyStatus status, Instant createdAt) {
        keys.computeIfAbsent(user, name -> new ArrayList<>()).add(new AccessKey(keyId, status, createdAt));
        return this;
    }

    /** IAM reports this as the key's last use. */
    public synchronized InMemoryIdentityDirectory used(String keyId, KeyUse use) {
        lastUses.put(keyId, use);
        return this;
    }

    /** The key's status now, as a person re-activating it by hand would set it. */
    public synchronized void status(String user, String keyId, KeyStatus status) {
        List<AccessKey> userKeys = keys.getOrDefault(user, new ArrayList<>());
        userKeys.replaceAll(key -> key.id().equals(keyId) ? new AccessKey(key.id(), status, key.createdAt()) : key);
    }

    /** The key's status, if it exists. */
    public synchronized Optional<KeyStatus> statusOf(String user, String keyId) {
        return keys.getOrDefault(user, List.of()).stream().filter(key -> key.id().equals(keyId))
                .map(key -> key.isActive() ? KeyStatus.ACTIVE : KeyStatus.INACTIVE).findFirst();
    }

    public synchronized void alias(String accountAlias) {
        alias = Optional.of(accountAlias);
    }

    /** Keys created from now on carry this creation time instead of the clock's. */
    public synchronized void createKeysAt(Instant createdAt) {
        creationTime = Optional.of(createdAt);
    }

    /** From now on the credential report shows the keys as they are when a run asks for it. */
    public synchronized void credentialReportOfCurrentKeys() {
        reportFromKeys = true;
    }

    /** From now on the credential report is this one (a stale report, a report missing a user...). */
    public synchronized void credentialReport(KeyReport fixed) {
        reportFromKeys = false;
        report = new CredentialReport.Ready(fixed);
    }

    /** From now on there is no report, for this reason. */
    public synchronized void credentialReportUnavailable(String reason) {
        reportFromKeys = false;
        report = new CredentialReport.Unavailable(reason);
    }

    /** The report as it would show the keys now: every user of the directory, keys in creation order. */
    public synchronized KeyReport currentKeyReport() {
        var rows = new LinkedHashMap<String, KeyReport.UserKeys>();
        users.keySet().forEach(user -> rows.put(user, new KeyReport.UserKeys(user,
                keys.getOrDefault(user, List.of()).stream()
                        .sorted(Comparator.comparing(AccessKey::createdAt))
                        .map(key -> new KeyReport.ReportedKey(key.isActive(), Optional.of(key.createdAt())))
                        .toList())));
        return new KeyReport(clock.instant(), rows);
    }

    public synchronized int credentialReportRequests() {
        return reportRequests;
    }

    public synchronized void fail(Operation operation) {
        failing.add(operation);
    }

    /** Deleting a key of this user throws; other users' deletions go on. */
    public synchronized void refuseDeletionsFor(String user) {
        refusingDeletions.add(user);
    }

    public synchronized void heal() {
        failing.clear();
        refusingDeletions.clear();
    }

    public synchronized List<String> keyIds(String user) {
        return keys.getOrDefault(user, List.of()).stream().map(AccessKey::id).toList();
    }

    public synchronized List<String> issuedSecrets() {
        return List.copyOf(issuedSecrets);
    }

    public synchronized String secretOf(int index) {
        return issuedSecrets.get(index);
    }

    /** The users whose keys were listed, in order. */
    public synchronized List<String> listedUsers() {
        return List.copyOf(listedUsers);
    }

    public synchronized int aliasLookups() {
        return aliasLookups;
    }

    public synchronized int keysCreated() {
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
    public synchronized Optional<IamUser> user(String name) {
        return Optional.ofNullable(users.get(name));
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
        Instant createdAt = creationTime.orElseGet(clock::instant);
        keys.computeIfAbsent(user, name -> new ArrayList<>()).add(new AccessKey(id, KeyStatus.ACTIVE, createdAt));
        issuedSecrets.add(secret);
        journal.add("createAccessKey " + user);
        return new IssuedAccessKey(id, secret, createdAt);
    }

    @Override
    public synchronized KeyDeletion deleteAccessKey(String user, String keyId) {
        if (failing.contains(Operation.DELETE_ACCESS_KEY) || refusingDeletions.contains(user)) {
            throw new IllegalStateException("IAM refused to delete key " + keyId + " (test)");
        }
        journal.add("deleteAccessKey " + user + " " + keyId);
        boolean removed = keys.getOrDefault(user, new ArrayList<>()).removeIf(key -> key.id().equals(keyId));
        return removed ? KeyDeletion.DELETED : KeyDeletion.ALREADY_GONE;
    }

    @Override
    public synchronized void deactivateAccessKey(String user, String keyId) {
        if (failing.contains(Operation.UPDATE_ACCESS_KEY)) {
            throw new IllegalStateException("IAM refused to deactivate key " + keyId + " (test)");
        }
        journal.add("deactivateAccessKey " + user + " " + keyId);
        status(user, keyId, KeyStatus.INACTIVE);
    }

    @Override
    public synchronized Optional<KeyUse> lastUse(String keyId) {
        if (failing.contains(Operation.GET_ACCESS_KEY_LAST_USED)) {
            throw new IllegalStateException("IAM refused to tell the last use of key " + keyId + " (test)");
        }
        return Optional.ofNullable(lastUses.get(keyId));
    }

    @Override
    public synchronized CredentialReport credentialReport() {
        reportRequests++;
        return reportFromKeys ? new CredentialReport.Ready(currentKeyReport()) : report;
    }

    @Override
    public synchronized Optional<String> accountAlias() {
        aliasLookups++;
        return alias;
    }
}
