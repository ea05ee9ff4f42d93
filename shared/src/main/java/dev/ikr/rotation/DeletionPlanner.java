package dev.ikr.rotation;

import dev.ikr.domain.AccessKey;
import dev.ikr.domain.DeletionDecision.AlreadyGone;
import dev.ikr.domain.DeletionDecision.Cancel;
import dev.ikr.domain.DeletionDecision.Delete;
import dev.ikr.domain.DeletionDecision.Ignore;
import dev.ikr.domain.DeletionDecision.Park;
import dev.ikr.domain.DeletionDecision.Retry;
import dev.ikr.domain.DeletionDecision;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationRecord;
import dev.ikr.domain.StreamChange.Removed;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The twin of {@link RotationPlanner}: every rule that decides whether the destructor may delete a key, in one
 * place. Pure: no AWS, no clock, no I/O. Only a pending deletion removed by DynamoDB's TTL deletes a key, and
 * never the user's last working key; a failed step is retried a bounded number of times, then left to a person.
 */
public final class DeletionPlanner {

    private final Duration retryAfter;
    private final int maxDeleteAttempts;

    public DeletionPlanner(Duration retryAfter, int maxDeleteAttempts) {
        if (retryAfter.isNegative() || retryAfter.isZero() || maxDeleteAttempts < 1) {
            throw new IllegalArgumentException("retries need a positive delay and at least one attempt");
        }
        this.retryAfter = retryAfter;
        this.maxDeleteAttempts = maxDeleteAttempts;
    }

    /**
     * What a removal asks for before IAM is asked: an {@link Ignore} or a {@link Cancel}, or empty when it is a
     * pending deletion that expired and the user's keys decide ({@link #decide}).
     */
    public Optional<DeletionDecision> beforeListingKeys(Removed removed) {
        RotationRecord record = removed.record();
        if (record.state() == RecordState.ROTATING) {
            return Optional.of(new Ignore(record, "an intent was cleared; it never schedules a deletion"));
        }
        if (!removed.removedByTtl()) {
            return Optional.of(new Cancel(record, removed.removedBy()));
        }
        if (record.state() != RecordState.PENDING_DELETION) {
            return Optional.of(new Ignore(record, "a " + record.state().attributeValue()
                    + " record expired; only pending deletions delete keys"));
        }
        return Optional.empty();
    }

    /** Given the user's keys now, what becomes of an expired pending deletion. */
    public DeletionDecision decide(RotationRecord record, List<AccessKey> keys) {
        Optional<AccessKey> target = keys.stream().filter(key -> key.id().equals(record.oldKeyId())).findFirst();
        if (target.isEmpty()) {
            return new AlreadyGone(record);
        }
        boolean anotherActiveKey = keys.stream()
                .anyMatch(key -> !key.id().equals(record.oldKeyId()) && key.isActive());
        if (anotherActiveKey) {
            return new Delete(record);
        }
        String reason = keys.size() == 1
                ? "key " + record.oldKeyId() + " is the user's only key: deleting it would leave the user"
                        + " without access"
                : "the user's other key is inactive: deleting " + record.oldKeyId()
                        + " would leave the user without a working key";
        return new Park(record.parked(reason), reason, true);
    }

    /**
     * After a deletion step failed: try again in {@code retryAfter}, or, at the last allowed attempt, park the
     * record for a person.
     *
     * @param keyKept whether the old key still exists (the step that failed was its deletion)
     */
    public DeletionDecision afterFailure(RotationRecord record, String cause, boolean keyKept, Instant now) {
        int attempts = record.attempts() + 1;
        if (attempts >= maxDeleteAttempts) {
            String reason = "deletion failed " + attempts + " times; last error: " + cause;
            return new Park(record.withAttempts(attempts).parked(reason), reason, keyKept);
        }
        return new Retry(record.retryAt(now.plus(retryAfter), cause), cause);
    }

    public int maxDeleteAttempts() {
        return maxDeleteAttempts;
    }
}
