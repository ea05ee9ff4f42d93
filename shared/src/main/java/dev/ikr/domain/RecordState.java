package dev.ikr.domain;

import java.util.Locale;

/** Where a rotation stands, as stored in the table's {@code state} attribute. */
public enum RecordState {
    /** The intent: a rotation was started and its new key is not yet delivered. Never carries a TTL. */
    ROTATING,
    /** The new key was delivered; the old key waits for {@code delete_on}. */
    PENDING_DELETION,
    /** Something needs a person: no TTL, nothing will be deleted automatically. */
    NEEDS_ATTENTION,
    /** Not a rotation: where the user's key was last delivered ({@link LastDelivery}). Never carries a TTL. */
    DELIVERED;

    public String attributeValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RecordState fromAttributeValue(String value) {
        for (RecordState state : values()) {
            if (state.attributeValue().equals(value)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown record state '" + value + "'");
    }
}
