package dev.ikr.testing;

import dev.ikr.domain.LastDelivery;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationRecord;
import dev.ikr.domain.UnverifiedRecord;
import dev.ikr.port.PendingDeletions;
import dev.ikr.port.RotationConflictException;
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
 * intent. Items IKR would not trust (their seal missing or wrong) are held apart ({@link #putUnverified}).
 */
public final class InMemoryPendingDeletions implements PendingDeletions {

    public enum Operation {
        ALL, RECORD_INTENT, RECORD_NEW_KEY, SCHEDULE_DELETION, PUT_BACK, REMOVE_INTENT, CLEAR_STALE, ADOPT,
        RECORD_DELIVERY
    }

    private record Key(String user, String oldKeyId) {
    }

    private final List<String> journal;
    private final Map<Key, RotationRecord> records = new LinkedHashMap<>();
    private final Map<Key, UnverifiedRecord> unverified = new LinkedHashMap<>();
    private final Map<String, LastDelivery> deliveries = new LinkedHashMap<>();
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

    /** An item whose seal (if {@code sealed}, else its lack of one) does not prove IKR wrote it, for {@code reason}. */
    public synchronized InMemoryPendingDeletions putUnverified(RotationRecord claimed, boolean sealed, String reason) {
        unverified.put(new Key(claimed.user(), claimed.oldKeyId()), new UnverifiedRecord(claimed, sealed, reason));
        return this;
    }

    /** The trusted records, in insertion order. */
    public synchronized List<RotationRecord> records() {
        return List.copyOf(records.values());
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
    public synchronized Contents all() {
        check(Operation.ALL);
        return new Contents(List.copyOf(records.values()), List.copyOf(unverified.values()),
                List.copyOf(deliveries.values()));
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
    public synchronized void recordNewKey(RotationRecord intent) {
        check(Operation.RECORD_NEW_KEY);
        updateIntent(intent.user(), intent.oldKeyId(), found -> intent);
        journal.add("recordNewKey " + intent.user());
        checkAfterWrite(Operation.RECORD_NEW_KEY);
    }

    @Override
    public synchronized void scheduleDeletion(RotationRecord scheduled) {
        check(Operation.SCHEDULE_DELETION);
        String user = scheduled.user();
        if (isScheduled(user, scheduled.oldKeyId(), scheduled.newKeyId().orElseThrow())) {
            journal.add("scheduleDeletion " + user);
            return;
        }
        updateIntent(user, scheduled.oldKeyId(), intent -> scheduled);
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

    /** Where the user's key was last delivered, as remembered. */
    public synchronized Optional<LastDelivery> delivery(String user) {
        return Optional.ofNullable(deliveries.get(user));
    }

    @Override
    public synchronized void recordDelivery(LastDelivery delivery) {
        check(Operation.RECORD_DELIVERY);
        LastDelivery known = deliveries.get(delivery.user());
        if (known == null || !known.deliveredAt().isAfter(delivery.deliveredAt())) {
            deliveries.put(delivery.user(), delivery);
            journal.add("recordDelivery " + delivery.user());
        }
        checkAfterWrite(Operation.RECORD_DELIVERY);
    }

    @Override
    public synchronized void adopt(RotationRecord found, RotationRecord adopted) {
        check(Operation.ADOPT);
        Key key = new Key(found.user(), found.oldKeyId());
        UnverifiedRecord item = unverified.get(key);
        if (item == null || !item.claimed().equals(found)) {
            throw new RotationConflictException(found.user(), found.oldKeyId());
        }
        unverified.remove(key);
        records.put(key, adopted);
        journal.add("adopt " + found.user() + " " + found.oldKeyId());
        checkAfterWrite(Operation.ADOPT);
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
