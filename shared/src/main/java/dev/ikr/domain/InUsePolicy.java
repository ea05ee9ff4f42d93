package dev.ikr.domain;

/** What the destructor does once a key still in use was postponed as often as allowed. */
public enum InUsePolicy {
    /** Deactivate or delete it all the same, and say so in the mail. */
    PROCEED,
    /** Keep it and park the item as {@code needs_attention}: a person decides. */
    HOLD
}
