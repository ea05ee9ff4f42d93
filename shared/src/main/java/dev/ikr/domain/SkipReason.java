package dev.ikr.domain;

import java.util.Locale;

/** Why a user was left alone; some reasons need a person to look. */
public enum SkipReason {
    NO_KEYS(false),
    NOT_DUE(false),
    ROTATION_IN_PROGRESS(false),
    INACTIVE_KEY(true),
    UNKNOWN_SECOND_KEY(true),
    ONLY_KEY_SCHEDULED_FOR_DELETION(true),
    AWAITING_ATTENTION(true),
    /** A repair would delete the user's last active key: it is kept. */
    LAST_ACTIVE_KEY_KEPT(true);

    private final boolean needsAttention;

    SkipReason(boolean needsAttention) {
        this.needsAttention = needsAttention;
    }

    public boolean needsAttention() {
        return needsAttention;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
