package dev.ikr.domain;

/** How old a key may get before it is rotated, and how long the old key lives after the new one was mailed. */
public record RotationPolicy(int rotateAfterDays, int deleteAfterDays) {

    public RotationPolicy {
        if (rotateAfterDays < 1 || rotateAfterDays > Days.MAX) {
            throw new IllegalArgumentException("rotateAfterDays must be from 1 to " + Days.MAX);
        }
        if (deleteAfterDays < 1 || deleteAfterDays > Days.MAX) {
            throw new IllegalArgumentException("deleteAfterDays must be from 1 to " + Days.MAX);
        }
    }

    /** This policy with the user's own tag values where it has them. */
    public RotationPolicy forUser(UserSettings settings) {
        return new RotationPolicy(
                settings.rotateAfterDays().orElse(rotateAfterDays),
                settings.deleteAfterDays().orElse(deleteAfterDays));
    }
}
