package dev.ikr.domain;

import java.util.Optional;

/**
 * How old a key may get before it is rotated, how long the old key lives after the new one was mailed, and, for a
 * grace period people can undo, after how many days of that it is deactivated first (always before its deletion).
 */
public record RotationPolicy(int rotateAfterDays, int deleteAfterDays, Optional<Integer> deactivateAfterDays) {

    public RotationPolicy {
        if (rotateAfterDays < 1 || rotateAfterDays > Days.MAX) {
            throw new IllegalArgumentException("rotateAfterDays must be from 1 to " + Days.MAX);
        }
        if (deleteAfterDays < 1 || deleteAfterDays > Days.MAX) {
            throw new IllegalArgumentException("deleteAfterDays must be from 1 to " + Days.MAX);
        }
        deactivateAfterDays = deactivateAfterDays == null ? Optional.empty() : deactivateAfterDays;
        if (deactivateAfterDays.isPresent() && deactivateAfterDays.get() >= deleteAfterDays) {
            throw new IllegalArgumentException("the deactivation (after " + deactivateAfterDays.get()
                    + " days) must come before the deletion (after " + deleteAfterDays + " days)");
        }
    }

    /** A single stage: the old key is deleted after {@code deleteAfterDays}, never deactivated first. */
    public RotationPolicy(int rotateAfterDays, int deleteAfterDays) {
        this(rotateAfterDays, deleteAfterDays, Optional.empty());
    }

    /**
     * This policy with the user's own tag values where it has them.
     *
     * @throws MisconfiguredUserException when the user's deactivation would not come before its deletion
     */
    public RotationPolicy forUser(UserSettings settings) {
        int delete = settings.deleteAfterDays().orElse(deleteAfterDays);
        Optional<Integer> deactivate = settings.deactivateAfterDays().or(() -> deactivateAfterDays);
        if (deactivate.isPresent() && deactivate.get() >= delete) {
            throw new MisconfiguredUserException(TagKeys.DEACTIVATE_AFTER_DAYS + " (" + deactivate.get()
                    + (settings.deactivateAfterDays().isPresent() ? "" : ", from DEACTIVATE_AFTER_DAYS")
                    + ") must be smaller than " + TagKeys.DELETE_AFTER_DAYS + " (" + delete
                    + (settings.deleteAfterDays().isPresent() ? "" : ", from DELETE_AFTER_DAYS")
                    + "): the old key is deactivated before it is deleted");
        }
        return new RotationPolicy(settings.rotateAfterDays().orElse(rotateAfterDays), delete, deactivate);
    }
}
