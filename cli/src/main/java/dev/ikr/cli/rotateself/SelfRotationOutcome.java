package dev.ikr.cli.rotateself;

import java.util.Optional;

/** What {@link SelfRotation#rotate} did. Only {@link Rotated} is a success; each other case says why not. */
public sealed interface SelfRotationOutcome {

    /** What became of the key the profile held. */
    enum OldKey {
        DELETED("deleted"),
        INACTIVE("inactive"),
        ACTIVE("active");

        private final String label;

        OldKey(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * The new key works and is written; the old one is {@code oldKey}.
     *
     * @param removedInactiveKeyId an inactive key that was deleted first, to make room
     */
    record Rotated(String user, String oldKeyId, String newKeyId, String writtenTo, OldKey oldKey,
            Optional<String> removedInactiveKeyId) implements SelfRotationOutcome {

        Rotated withOldKey(OldKey state) {
            return new Rotated(user, oldKeyId, newKeyId, writtenTo, state, removedInactiveKeyId);
        }
    }

    /** The profile's key cannot be rotated by its owner: not accepted by AWS, or not an IAM user's. Nothing changed. */
    record NotUsable(String reason) implements SelfRotationOutcome {
    }

    /** There is no room for a new key (or IAM refused one). Nothing changed but what {@code reason} says. */
    record Refused(String reason) implements SelfRotationOutcome {
    }

    /** The new key did not work or was not written: it was deleted (unless {@code reason} says otherwise). */
    record RolledBack(String reason) implements SelfRotationOutcome {
    }

    /** Writing the new key may or may not have happened: both keys stay active, for the owner to settle. */
    record BothKeysKept(String reason) implements SelfRotationOutcome {
    }

    /** The new key is written and in use, but the old one could not be retired (it is {@code rotated.oldKey()}). */
    record OldKeyNotRetired(Rotated rotated, String reason) implements SelfRotationOutcome {
    }
}
