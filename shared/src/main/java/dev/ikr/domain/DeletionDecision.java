package dev.ikr.domain;

import java.util.Objects;

/**
 * What the deletion planner decided for one record that left the table. The destructor switches over it
 * exhaustively; only {@link Delete} lets it delete a key.
 */
public sealed interface DeletionDecision {

    /** Nothing to do: the record never asked for a deletion. */
    record Ignore(RotationRecord record, String reason) implements DeletionDecision {
    }

    /** Someone deleted the record before its date: the deletion is cancelled and the key kept. */
    record Cancel(RotationRecord record, String removedBy) implements DeletionDecision {
    }

    /** Delete {@code record.oldKeyId()}: the user keeps another active key. */
    record Delete(RotationRecord record) implements DeletionDecision {
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
