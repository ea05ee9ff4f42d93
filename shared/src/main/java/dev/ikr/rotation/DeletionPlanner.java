package dev.ikr.rotation;

import dev.ikr.domain.AccessKey;
import dev.ikr.domain.DeletionDecision.AlreadyGone;
import dev.ikr.domain.DeletionDecision.Cancel;
import dev.ikr.domain.DeletionDecision.Deactivate;
import dev.ikr.domain.DeletionDecision.Delete;
import dev.ikr.domain.DeletionDecision.Ignore;
import dev.ikr.domain.DeletionDecision.Park;
import dev.ikr.domain.DeletionDecision.Postpone;
import dev.ikr.domain.DeletionDecision.Retry;
import dev.ikr.domain.IamUser;
import dev.ikr.domain.DeletionDecision;
import dev.ikr.domain.InUseGuard;
import dev.ikr.domain.InUsePolicy;
import dev.ikr.domain.KeyUse;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationRecord;
import dev.ikr.domain.StreamChange.Removed;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The twin of {@link RotationPlanner}: every rule that decides whether the destructor may delete a key, in one
 * place. Pure: no AWS, no clock, no I/O. Only a pending deletion removed by DynamoDB's TTL deactivates or deletes a
 * key, and never the user's last working key; a key used since its replacement was delivered is given more time a
 * bounded number of times; a failed step is retried a bounded number of times, then left to a person.
 */
public final class DeletionPlanner {

    private final Duration retryAfter;
    private final int maxDeleteAttempts;
    private final InUseGuard guard;

    public DeletionPlanner(Duration retryAfter, int maxDeleteAttempts) {
        this(retryAfter, maxDeleteAttempts, InUseGuard.DEFAULT);
    }

    public DeletionPlanner(Duration retryAfter, int maxDeleteAttempts, InUseGuard guard) {
        if (retryAfter.isNegative() || retryAfter.isZero() || maxDeleteAttempts < 1) {
            throw new IllegalArgumentException("retries need a positive delay and at least one attempt");
        }
        this.retryAfter = retryAfter;
        this.maxDeleteAttempts = maxDeleteAttempts;
        this.guard = java.util.Objects.requireNonNull(guard, "guard");
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

    /**
     * Given the user and its keys now, what becomes of an expired pending deletion: its step, {@link Deactivate} or
     * {@link Delete}, which the {@linkplain #guard in-use guard} then checks. The record alone never touches a key:
     * IAM must corroborate it. The user still takes part in rotation (it carries {@code IKR:EMAIL}), the key the
     * record says was delivered in its place exists and is active, and the old key is not the user's last active key
     * (an old key already inactive is deleted as long as that delivered key is active). Otherwise the key is kept and
     * the record parked for a person.
     *
     * @param user the user as IAM has it now; empty when it no longer exists
     */
    public DeletionDecision decide(RotationRecord record, Optional<IamUser> user, List<AccessKey> keys, Instant now) {
        String oldKeyId = record.oldKeyId();
        if (keys.stream().noneMatch(key -> key.id().equals(oldKeyId))) {
            return new AlreadyGone(record);
        }
        if (user.isEmpty() || !user.get().isEnrolled()) {
            return park(record, "the user no longer carries the " + IamUser.EMAIL_TAG + " tag: IKR deletes keys only"
                    + " of the users it rotates, so key " + oldKeyId + " is kept");
        }
        if (record.newKeyId().isEmpty() || record.newKeyId().get().equals(oldKeyId)) {
            return park(record, "the record names no key delivered in place of " + oldKeyId
                    + " (a record IKR did not write): the key is kept");
        }
        String newKeyId = record.newKeyId().get();
        Optional<AccessKey> delivered = keys.stream().filter(key -> key.id().equals(newKeyId)).findFirst();
        if (delivered.isEmpty() || !delivered.get().isActive()) {
            boolean anotherActiveKey = keys.stream().anyMatch(key -> !key.id().equals(oldKeyId) && key.isActive());
            return park(record, keys.size() == 1
                    ? "key " + oldKeyId + " is the user's only key: deleting it would leave the user without access"
                    : !anotherActiveKey
                            ? "the user's other key is inactive: deleting " + oldKeyId
                                    + " would leave the user without a working key"
                            : "the key delivered in place of " + oldKeyId + ", " + newKeyId + ", is "
                                    + (delivered.isEmpty() ? "gone" : "inactive") + ": deleting " + oldKeyId
                                    + " could leave the user without the key they were sent");
        }
        // the delivered key is active and is not the old key: the old key is not the last active one
        return record.awaitsDeactivation() ? new Deactivate(record, record.deactivated(now), Optional.empty())
                : new Delete(record);
    }

    /**
     * The in-use guard, between {@link #decide} and the step: was the old key used after its replacement was delivered
     * (or after the last check)? If so, the step is postponed to {@code now} plus the guard's delay, up to its
     * maximum; past it, the step goes ahead (saying so) or the record is parked, as the guard's policy says.
     *
     * @param step a {@link Deactivate} or {@link Delete}; any other decision is returned as it is
     * @param lastUse the old key's last use, as IAM reports it now
     */
    public DeletionDecision guard(DeletionDecision step, Optional<KeyUse> lastUse, Instant now) {
        RotationRecord record;
        String stepName;
        if (step instanceof Deactivate deactivate) {
            record = deactivate.record();
            stepName = "deactivation";
        } else if (step instanceof Delete delete) {
            record = delete.record();
            stepName = "deletion";
        } else {
            return step;
        }
        Optional<KeyUse> recent = lastUse.filter(use -> use.at().isAfter(record.inUseSince()));
        if (recent.isEmpty()) {
            return step;
        }
        KeyUse use = recent.get();
        String inUse = "key " + record.oldKeyId() + " was used on " + use.describe() + ", after "
                + record.inUseSince();
        if (record.postponements() < guard.maxPostponements()) {
            Instant later = now.plus(guard.postponeBy());
            return new Postpone(record.postponedTo(later, now, inUse + ": the " + stepName + " is postponed to "
                    + later), use, stepName, guard.maxPostponements() - record.postponements() - 1);
        }
        String asOften = guard.maxPostponements() == 0 ? "postponements are off"
                : "the " + stepName + " was postponed " + record.postponements() + " times already";
        if (guard.policy() == InUsePolicy.HOLD) {
            return park(record, inUse + "; " + asOften + " and IN_USE_POLICY is hold: key " + record.oldKeyId()
                    + " is kept");
        }
        return switch (step) {
            case Deactivate deactivate -> new Deactivate(record, deactivate.next(), recent);
            case Delete delete -> new Delete(record, recent);
            default -> throw new IllegalStateException("not a step: " + step);
        };
    }

    private static Park park(RotationRecord record, String reason) {
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
