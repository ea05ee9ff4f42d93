package dev.ikr.domain;

import java.util.Optional;

/** One record of the table's stream, as the destructor sees it. */
public sealed interface StreamChange {

    String eventId();

    /**
     * An item left the table.
     *
     * @param removedByTtl true when DynamoDB's TTL removed it (the only removal that deletes a key)
     * @param removedBy who removed it, for the log (the stream's principal, or "unknown")
     * @param record the removed item as it reads
     * @param seal the removed item's seal, if it had one: the record is acted on only if it proves IKR wrote it
     */
    record Removed(String eventId, boolean removedByTtl, String removedBy, RotationRecord record,
            Optional<RecordSeal> seal) implements StreamChange {

        public Removed {
            seal = seal == null ? Optional.empty() : seal;
        }
    }

    /**
     * A KMS key's item left the table ({@link KmsKeyRecord}): its old key is retired when the TTL removed it.
     *
     * @param removedByTtl true when DynamoDB's TTL removed it (the only removal that retires a key)
     */
    record KmsKeyRemoved(String eventId, boolean removedByTtl, String removedBy, KmsKeyRecord record,
            Optional<RecordSeal> seal) implements StreamChange {

        public KmsKeyRemoved {
            seal = seal == null ? Optional.empty() : seal;
        }

        /** The same removal as the access keys' planner reads it: what the two kinds of item share. */
        public Removed asRemoved() {
            return new Removed(eventId, removedByTtl, removedBy, record.rotation(), seal);
        }
    }

    /** An insert or a modification: nothing to do. */
    record Other(String eventId, String eventName) implements StreamChange {
    }

    /** A record that cannot be read; {@code reason} says why (never a secret: the table holds none). */
    record Malformed(String eventId, String reason) implements StreamChange {
    }
}
