package dev.ikr.rotation;

import dev.ikr.domain.AccessKey;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationDecision;
import dev.ikr.domain.RotationDecision.Repair;
import dev.ikr.domain.RotationDecision.Rotate;
import dev.ikr.domain.RotationDecision.Skip;
import dev.ikr.domain.RotationPolicy;
import dev.ikr.domain.RotationRecord;
import dev.ikr.domain.SkipReason;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The whole rotation policy in one place: given a user's keys, the table's records for that user,
 * the policy and the time, what should happen. Pure: no AWS, no clock, no I/O.
 */
public final class RotationPlanner {

    public RotationDecision decide(List<AccessKey> keys, List<RotationRecord> records, RotationPolicy policy,
            Instant now) {
        Optional<RotationRecord> intent = records.stream().filter(RotationRecord::isIntent).findFirst();
        if (intent.isPresent()) {
            return repair(intent.get(), keys);
        }
        if (keys.isEmpty()) {
            return new Skip(SkipReason.NO_KEYS, "the user has no access key");
        }
        if (keys.size() > 1) {
            return twoKeys(keys, records);
        }
        AccessKey key = keys.getFirst();
        Optional<RotationRecord> record = recordOf(key, records);
        if (record.isPresent()) {
            return record.get().state() == RecordState.NEEDS_ATTENTION
                    ? new Skip(SkipReason.AWAITING_ATTENTION, attentionDetail(record.get()))
                    : new Skip(SkipReason.ONLY_KEY_SCHEDULED_FOR_DELETION, "key " + key.id()
                            + " is the user's only key and is scheduled for deletion: the key mailed to replace it is gone");
        }
        if (!key.isActive()) {
            return new Skip(SkipReason.INACTIVE_KEY, "the only key " + key.id()
                    + " is inactive: an administrator disabled this access, so no new key is issued");
        }
        long age = key.ageInDays(now);
        if (age < policy.rotateAfterDays()) {
            return new Skip(SkipReason.NOT_DUE, "key " + key.id() + " is " + age + " days old; it is rotated at "
                    + policy.rotateAfterDays() + " days");
        }
        return new Rotate(key, policy, records.stream()
                .filter(stale -> stale.state() == RecordState.PENDING_DELETION)
                .filter(stale -> keys.stream().noneMatch(existing -> existing.id().equals(stale.oldKeyId())))
                .toList());
    }

    /**
     * An interrupted run is repaired by deleting the new key its intent recorded, and only that key: never a key the
     * intent does not name (the table alone is not trusted to choose one), never the user's last active key.
     */
    private static RotationDecision repair(RotationRecord intent, List<AccessKey> keys) {
        if (intent.newKeyId().isPresent()) {
            String created = intent.newKeyId().get();
            Optional<AccessKey> undelivered = keys.stream().filter(key -> key.id().equals(created)).findFirst();
            if (undelivered.isEmpty()) {
                return new Repair(intent, Optional.empty());
            }
            boolean anotherActiveKey = keys.stream().anyMatch(key -> !key.id().equals(created) && key.isActive());
            if (undelivered.get().isActive() && !anotherActiveKey) {
                return new Skip(SkipReason.LAST_ACTIVE_KEY_KEPT, "an interrupted rotation of key "
                        + intent.oldKeyId() + " recorded key " + created + " as its undelivered new key, but it is the"
                        + " user's last active key: it is not deleted; check who uses it, then delete the record");
            }
            return new Repair(intent, Optional.of(created));
        }
        List<AccessKey> others = keys.stream().filter(key -> !key.id().equals(intent.oldKeyId())).toList();
        if (others.isEmpty()) {
            return new Repair(intent, Optional.empty());
        }
        return new Skip(SkipReason.UNKNOWN_SECOND_KEY, "a rotation started at " + intent.startedAt()
                + " stopped before it recorded its new key, and IKR deletes only a key an intent names: key "
                + others.getFirst().id() + " is not deleted; if nobody uses it, delete it, then delete the record");
    }

    private static RotationDecision twoKeys(List<AccessKey> keys, List<RotationRecord> records) {
        for (AccessKey key : keys) {
            Optional<RotationRecord> record = recordOf(key, records);
            if (record.isPresent() && record.get().state() == RecordState.PENDING_DELETION) {
                return new Skip(SkipReason.ROTATION_IN_PROGRESS, "key " + key.id() + " is scheduled for deletion on "
                        + record.get().deleteOn().orElseThrow());
            }
            if (record.isPresent() && record.get().state() == RecordState.NEEDS_ATTENTION) {
                return new Skip(SkipReason.AWAITING_ATTENTION, attentionDetail(record.get()));
            }
        }
        return new Skip(SkipReason.UNKNOWN_SECOND_KEY, "the user has two keys (" + keys.get(0).id() + ", "
                + keys.get(1).id() + ") that IKR did not create: none is deleted; delete the unused one by hand");
    }

    private static Optional<RotationRecord> recordOf(AccessKey key, List<RotationRecord> records) {
        return records.stream().filter(record -> record.oldKeyId().equals(key.id())).findFirst();
    }

    private static String attentionDetail(RotationRecord record) {
        return "key " + record.oldKeyId() + " needs attention: " + record.reason().orElse("see the table record");
    }
}
