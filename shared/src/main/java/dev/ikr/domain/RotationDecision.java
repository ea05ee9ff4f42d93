package dev.ikr.domain;

import java.util.List;
import java.util.Optional;

/** What the planner decided for one user. The orchestrator switches over it exhaustively. */
public sealed interface RotationDecision {

    /**
     * Create a new key for {@code oldKey}'s user, mail it, and schedule {@code oldKey} for deletion.
     *
     * @param staleFirst pending deletions of keys that are already gone (deleted by hand): they are cleared
     *     first, so that their expiry can never delete the decryption key of this rotation's mail
     */
    record Rotate(AccessKey oldKey, RotationPolicy policy, List<RotationRecord> staleFirst)
            implements RotationDecision {

        public Rotate {
            staleFirst = List.copyOf(staleFirst);
        }

        public Rotate(AccessKey oldKey, RotationPolicy policy) {
            this(oldKey, policy, List.of());
        }
    }

    /**
     * A previous run stopped between recording its intent and delivering the new key: delete the
     * undelivered key (if there is one) and the intent, then plan again.
     */
    record Repair(RotationRecord intent, Optional<String> undeliveredKeyId) implements RotationDecision {
    }

    /** Nothing to do now. */
    record Skip(SkipReason reason, String detail) implements RotationDecision {
    }
}
