package dev.ikr.testing;

import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationRecord;
import dev.ikr.port.PendingDeletions;
import dev.ikr.port.RotationConflictException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The rotation table in memory, keyed by user and old key, with the port's conditional semantics:
 * an intent is written only where no record exists; {@code recordNewKey} and {@code scheduleDeletion}
 * change only an intent; {@code putBack} replaces whatever is there; {@code removeIntent} removes only an
 * intent.
 */
public final class InMemoryPendingDeletions implements PendingDeletions {

    public enum Operation { ALL, RECORD_INTENT, RECORD_NEW_KEY, SCHEDULE_DELETION, PUT_BACK, REMOVE_INTENT, CLEAR_STALE }

    private record Key(String user, String oldKeyId) {
    }

    private final List<String> journal;
    private final Map<Key, RotationRecord> records = new LinkedHashMap<>();
    private final Set<Operation> failing = EnumSet.noneOf(Operation.class);
    private final Set<Operation> failingAfterWrite = EnumSet.noneOf(Operation.class);
    private Optional<RotationRecord> concurrentIntent = Optional.empty();

    public InMemoryPendingDeletions(List<String> journal) {
        this.journal = journal;
    }

    public synchronized InMemoryPendingDeletions put(RotationRecord record) {
        records.put(new Key(record.user(), record.oldKeyId()), record);
        return this;
    }

    public synchronized Optional<RotationRecord> find(String user, String oldKeyId) {
        return Optional.ofNullable(records.get(new Key(user, oldKeyId)));
    }

    /** The operation throws without changing anything. */
    public synchronized void fail(Operation operation) {
        failing.add(operation);
    }

    /** The operation's write lands, then it throws (as when the response is lost). */
    public synchronized void failAfterWriting(Operation operation) {
        failingAfterWrite.add(operation);
    }

    /** Another run writes this intent just before ours, as if it had started a moment earlier. */
    public synchronized void anotherRunRecordsFirst(RotationRecord intent) {
        concurrentIntent = Optional.of(intent);
    }

    public synchronized void heal() {
        failing.clear();
        failingAfterWrite.clear();
    }

    @Override
    public synchronized List<RotationRecord> all() {
        check(Operation.ALL);
        return List.copyOf(records.values());
    }

    @Override
    public synchronized void recordIntent(RotationRecord intent) {
        check(Operation.RECORD_INTENT);
        concurrentIntent.ifPresent(this::put);
        concurrentIntent = Optional.empty();
        Key key = new Key(intent.user(), intent.oldKeyId());
        if (records.containsKey(key)) {
            throw new RotationConflictException(intent.user(), intent.oldKeyId());
        }
        records.put(key, intent);
        journal.add("recordIntent " + intent.user());
        checkAfterWrite(Operation.RECORD_INTENT);
    }

    @Override
    public synchronized void recordNewKey(String user, String oldKeyId, String newKeyId) {
        check(Operation.RECORD_NEW_KEY);
        updateIntent(user, oldKeyId, intent -> new RotationRecord(user, oldKeyId, intent.email(), RecordState.ROTATING,
                Optional.of(newKeyId), Optional.empty(), intent.startedAt(), intent.attempts(), intent.reason()));
        journal.add("recordNewKey " + user);
        checkAfterWrite(Operation.RECORD_NEW_KEY);
    }

    @Override
    public synchronized void scheduleDeletion(String user, String oldKeyId, String newKeyId, Instant deleteOn) {
        check(Operation.SCHEDULE_DELETION);
        if (isScheduled(user, oldKeyId, newKeyId)) {
            journal.add("scheduleDeletion " + user);
            return;
        }
        updateIntent(user, oldKeyId, intent -> new RotationRecord(user, oldKeyId, intent.email(),
                RecordState.PENDING_DELETION, Optional.of(newKeyId), Optional.of(deleteOn), intent.startedAt(),
                intent.attempts(), intent.reason()));
        journal.add("scheduleDeletion " + user);
        checkAfterWrite(Operation.SCHEDULE_DELETION);
    }

    @Override
    public synchronized boolean isScheduled(String user, String oldKeyId, String newKeyId) {
        RotationRecord record = records.get(new Key(user, oldKeyId));
        return record != null && record.state() == RecordState.PENDING_DELETION
                && record.newKeyId().equals(Optional.of(newKeyId));
    }

    @Override
    public synchronized void putBack(RotationRecord record) {
        check(Operation.PUT_BACK);
        put(record);
        journal.add("putBack " + record.user());
        checkAfterWrite(Operation.PUT_BACK);
    }

    @Override
    public synchronized void clearStale(RotationRecord pending) {
        check(Operation.CLEAR_STALE);
        Key key = new Key(pending.user(), pending.oldKeyId());
        RotationRecord record = records.get(key);
        if (record != null && record.state() == RecordState.PENDING_DELETION
                && record.deleteOn().equals(pending.deleteOn())) {
            records.remove(key);
            journal.add("clearStale " + pending.user() + " " + pending.oldKeyId());
        }
        checkAfterWrite(Operation.CLEAR_STALE);
    }

    @Override
    public synchronized void removeIntent(String user, String oldKeyId) {
        check(Operation.REMOVE_INTENT);
        Key key = new Key(user, oldKeyId);
        RotationRecord record = records.get(key);
        if (record != null && record.isIntent()) {
            records.remove(key);
            journal.add("removeIntent " + user);
        }
        checkAfterWrite(Operation.REMOVE_INTENT);
    }

    private void updateIntent(String user, String oldKeyId, UnaryOperator<RotationRecord> change) {
        Key key = new Key(user, oldKeyId);
        RotationRecord record = records.get(key);
        if (record == null || !record.isIntent()) {
            throw new RotationConflictException(user, oldKeyId);
        }
        records.put(key, change.apply(record));
    }

    private void check(Operation operation) {
        if (failing.contains(operation)) {
            throw new IllegalStateException("the rotation table is unavailable (test): " + operation);
        }
    }

    private void checkAfterWrite(Operation operation) {
        if (failingAfterWrite.contains(operation)) {
            throw new IllegalStateException("the response of " + operation + " was lost (test)");
        }
    }
}
