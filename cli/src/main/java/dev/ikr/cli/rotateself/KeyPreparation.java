package dev.ikr.cli.rotateself;

import dev.ikr.domain.AccessKey;
import java.util.List;
import java.util.Optional;

/**
 * Whether there is room for a new key: IAM allows two per user. Pure: a function of the user's keys and the key the
 * profile holds.
 */
public sealed interface KeyPreparation {

    /** There is room, after deleting {@code inactiveToDelete} if present (an inactive key that is not the current). */
    record Ready(Optional<AccessKey> inactiveToDelete) implements KeyPreparation {
    }

    /** No room, or something is off: nothing may change. */
    record Refused(String reason) implements KeyPreparation {
    }

    static KeyPreparation decide(String user, List<AccessKey> keys, String currentKeyId) {
        if (keys.stream().noneMatch(key -> key.id().equals(currentKeyId))) {
            return new Refused("the profile's key " + currentKeyId + " is not one of " + user + "'s keys "
                    + ids(keys) + "; nothing was changed");
        }
        List<AccessKey> others = keys.stream().filter(key -> !key.id().equals(currentKeyId)).toList();
        if (others.isEmpty()) {
            return new Ready(Optional.empty());
        }
        if (others.size() > 1) {
            return new Refused(user + " has " + keys.size() + " keys " + ids(keys) + "; nothing was changed");
        }
        AccessKey other = others.getFirst();
        if (!other.isActive()) {
            return new Ready(Optional.of(other));
        }
        return new Refused(user + " already has two active keys, " + currentKeyId + " (this profile's) and "
                + other.id() + ", and IAM allows two: there is no room for a new one. If nothing uses "
                + other.id() + ", deactivate it (rotate-self then deletes it) or delete it; nothing was changed");
    }

    private static String ids(List<AccessKey> keys) {
        return keys.stream().map(AccessKey::id).toList().toString();
    }
}
