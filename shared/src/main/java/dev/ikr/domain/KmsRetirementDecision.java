package dev.ikr.domain;

import java.util.Objects;

/**
 * What the retirement planner decided for a KMS key's item that expired. Only {@link Retire} lets the destructor
 * disable a key and schedule its deletion.
 */
public sealed interface KmsRetirementDecision {

    /** Disable the old key and schedule its deletion: KMS corroborated the item. */
    record Retire(KmsKeyRecord record) implements KmsRetirementDecision {
    }

    /** Nothing left to do: the key is gone or already pending deletion. */
    record AlreadyRetired(KmsKeyRecord record, String why) implements KmsRetirementDecision {
    }

    /** Write {@code parked} back without a TTL and ask the owner to act: the key is kept. */
    record Park(KmsKeyRecord parked, String reason) implements KmsRetirementDecision {

        public Park {
            Objects.requireNonNull(parked, "parked");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
