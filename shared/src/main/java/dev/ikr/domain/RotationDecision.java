package dev.ikr.domain;

import java.util.Optional;

/** What the planner decided for one user. The orchestrator switches over it exhaustively. */
public sealed interface RotationDecision {

    /** Create a new key for {@code oldKey}'s user, mail it, and schedule {@code oldKey} for deletion. */
    record Rotate(AccessKey oldKey, RotationPolicy policy) implements RotationDecision {
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
