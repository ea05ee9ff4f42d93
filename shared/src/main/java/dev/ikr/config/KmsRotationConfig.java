package dev.ikr.config;

/**
 * The variables of the KMS keys' rotation, read with the rotator's ({@code RotatorConfig}) and, for the retirement's
 * window, the destructor's ({@code DestructorConfig}).
 *
 * @param enabled {@code ROTATE_KMS_KEYS} (false): the rotator also handles the account's KMS keys, after its users
 * @param rotateAfterDays {@code KMS_ROTATE_AFTER_DAYS} (365): the age at which a key is rotated, unless its
 *     {@code IKR:ROTATE_AFTER_DAYS} says otherwise
 * @param enableAutoRotation {@code KMS_ENABLE_AUTO_ROTATION} (false): turn KMS's own automatic rotation on for the
 *     symmetric keys that carry {@code IKR:EMAIL}
 */
public record KmsRotationConfig(boolean enabled, int rotateAfterDays, boolean enableAutoRotation) {

    public static final int DEFAULT_ROTATE_AFTER_DAYS = 365;
    /** KMS's own bounds of a pending deletion's window. */
    public static final int MIN_PENDING_WINDOW_DAYS = 7;
    public static final int MAX_PENDING_WINDOW_DAYS = 30;
    static final String PENDING_WINDOW_DAYS = "KMS_PENDING_WINDOW_DAYS";

    /** Off: the rotator handles its users only. */
    public static final KmsRotationConfig OFF = new KmsRotationConfig(false, DEFAULT_ROTATE_AFTER_DAYS, false);

    static KmsRotationConfig from(Environment env) {
        return new KmsRotationConfig(env.bool("ROTATE_KMS_KEYS", false),
                env.days("KMS_ROTATE_AFTER_DAYS", DEFAULT_ROTATE_AFTER_DAYS),
                env.bool("KMS_ENABLE_AUTO_ROTATION", false));
    }

    /** {@code KMS_PENDING_WINDOW_DAYS} (30): the days KMS waits before it deletes a retired key (7 to 30). */
    static int pendingWindowDays(Environment env) {
        return env.optional(PENDING_WINDOW_DAYS).map(value -> {
            if (value.matches("[0-9]{1,2}")) {
                int days = Integer.parseInt(value);
                if (days >= MIN_PENDING_WINDOW_DAYS && days <= MAX_PENDING_WINDOW_DAYS) {
                    return days;
                }
            }
            throw new ConfigurationException(PENDING_WINDOW_DAYS + " must be a whole number of days from "
                    + MIN_PENDING_WINDOW_DAYS + " to " + MAX_PENDING_WINDOW_DAYS + " (KMS's bounds), not '" + value
                    + "'.");
        }).orElse(MAX_PENDING_WINDOW_DAYS);
    }
}
