package dev.ikr.domain;

import java.util.List;
import java.util.Objects;

/** What the KMS planner decided for one key. The use case switches over it exhaustively. */
public sealed interface KmsKeyDecision {

    /**
     * Create a key like {@code key}, move every alias to it, tell the owner, and retire {@code key} after
     * {@code policy.deleteAfterDays()}.
     *
     * @param settings the owner and the instructions its tags give
     */
    record Rotate(KmsKey key, UserSettings settings, RotationPolicy policy) implements KmsKeyDecision {

        public Rotate {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(policy, "policy");
        }
    }

    /**
     * An earlier run stopped between its intent and the retirement's schedule: the aliases of {@code intent} that
     * point at one of {@code created} go back to the old key, each of {@code created} not yet pending deletion is
     * scheduled for deletion with the shortest window, the intent is removed, and the key is planned again.
     *
     * @param created the keys that run created: the one its intent names, and those that carry
     *     {@value KmsKey#ROTATED_FROM_TAG} naming the old key (with its spec and usage)
     */
    record Repair(KmsKeyRecord intent, List<KmsKey> created) implements KmsKeyDecision {

        public Repair {
            Objects.requireNonNull(intent, "intent");
            created = List.copyOf(created);
        }
    }

    /** A symmetric key of an owner, with {@code KMS_ENABLE_AUTO_ROTATION}: KMS's automatic rotation is turned on. */
    record EnableAutoRotation(KmsKey key) implements KmsKeyDecision {
    }

    /** Nothing to do, and why. */
    record Skip(KmsSkipReason reason, String detail) implements KmsKeyDecision {

        public Skip {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** A tag IKR cannot use: nothing is created for the key. */
    record Misconfigured(String reason) implements KmsKeyDecision {
    }
}
