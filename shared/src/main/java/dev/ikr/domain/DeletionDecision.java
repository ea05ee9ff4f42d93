package dev.ikr.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * What the deletion planner decided for one record that left the table. The destructor switches over it
 * exhaustively; only {@link Delete} lets it delete a key, and only {@link Deactivate} lets it deactivate one.
 */
public sealed interface DeletionDecision {

    /** Nothing to do: the record never asked for a deletion. */
    record Ignore(RotationRecord record, String reason) implements DeletionDecision {
    }

    /** Someone deleted the record before its date: the deletion is cancelled and the key kept. */
    record Cancel(RotationRecord record, String removedBy) implements DeletionDecision {
    }

    /**
     * Delete {@code record.oldKeyId()}: the user keeps another active key.
     *
     * @param usedDespite a recent use of the key, when the in-use guard let the deletion go ahead all the same
     */
    record Delete(RotationRecord record, Optional<KeyUse> usedDespite) implements DeletionDecision {

        public Delete {
            Objects.requireNonNull(record, "record");
            usedDespite = usedDespite == null ? Optional.empty() : usedDespite;
        }

        /** A deletion the in-use guard has not (yet) looked at, or found nothing against. */
        public Delete(RotationRecord record) {
            this(record, Optional.empty());
        }
    }

    /**
     * Set {@code record.oldKeyId()} inactive, then write {@code next} back: it waits for the deletion date. The user
     * keeps another active key.
     *
     * @param usedDespite a recent use of the key, when the in-use guard let the deactivation go ahead all the same
     */
    record Deactivate(RotationRecord record, RotationRecord next, Optional<KeyUse> usedDespite)
            implements DeletionDecision {

        public Deactivate {
            Objects.requireNonNull(record, "record");
            Objects.requireNonNull(next, "next");
            usedDespite = usedDespite == null ? Optional.empty() : usedDespite;
        }
    }

    /**
     * The old key was used after its replacement was delivered: write {@code postponed} back, with the step's later
     * date, and tell the owner.
     *
     * @param step what was postponed: {@code deactivation} or {@code deletion}
     * @param postponementsLeft how many more times the step may be postponed
     */
    record Postpone(RotationRecord postponed, KeyUse use, String step, int postponementsLeft)
            implements DeletionDecision {

        public Postpone {
            Objects.requireNonNull(postponed, "postponed");
            Objects.requireNonNull(use, "use");
            Objects.requireNonNull(step, "step");
        }
    }

    /** The key is not in IAM any more: only the clean-up after it is left. */
    record AlreadyGone(RotationRecord record) implements DeletionDecision {
    }

    /**
     * Write {@code retry} back to the table and try again when it expires: a deletion step failed.
     *
     * @param cause what failed, as written in the record's reason
     */
    record Retry(RotationRecord retry, String cause) implements DeletionDecision {
    }

    /**
     * Write {@code parked} back without a TTL and ask the owner to act.
     *
     * @param keyKept whether the old key still exists
     */
    record Park(RotationRecord parked, String reason, boolean keyKept) implements DeletionDecision {

        public Park {
            Objects.requireNonNull(parked, "parked");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
