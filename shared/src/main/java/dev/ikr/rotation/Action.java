package dev.ikr.rotation;

import java.util.Locale;

/** What a run did (or, in a plan, would do) for one user. */
public enum Action {
    ROTATED,
    REPAIRED,
    SKIPPED,
    NEEDS_ATTENTION,
    MISCONFIGURED,
    FAILED,
    /** A table item names the user but its seal does not prove IKR wrote it: nothing is done for the user. */
    UNVERIFIED_RECORD,
    /** Not started: the Lambda's time limit was near. */
    DEFERRED,
    WOULD_ROTATE,
    WOULD_REPAIR;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
