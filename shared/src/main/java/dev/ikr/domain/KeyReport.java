package dev.ikr.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The access keys of every IAM user as the account's credential report showed them: how many keys, whether each is
 * active, and when each was created. A report may be hours old, so it only tells which users surely need no change
 * today; the key list decides everything else.
 *
 * @param generatedAt when IAM generated the report
 * @param users the rows by user name
 */
public record KeyReport(Instant generatedAt, Map<String, UserKeys> users) {

    public KeyReport {
        Objects.requireNonNull(generatedAt, "generatedAt");
        users = Map.copyOf(users);
    }

    /** The user's row; none for a user created after the report (or one the report left out). */
    public Optional<UserKeys> forUser(String user) {
        return Optional.ofNullable(users.get(user));
    }

    /** One user's row: the keys in the report's slots, first slot first. */
    public record UserKeys(String user, List<ReportedKey> keys) {

        public UserKeys {
            if (user == null || user.isBlank()) {
                throw new IllegalArgumentException("a credential report row needs a user name");
            }
            keys = List.copyOf(keys);
        }

        public int keyCount() {
            return keys.size();
        }

        /** The creation time of the oldest key; none when the user has no key or a key's time is unknown. */
        public Optional<Instant> oldestKeyCreated() {
            if (keys.stream().anyMatch(key -> key.lastRotated().isEmpty())) {
                return Optional.empty();
            }
            return keys.stream().map(key -> key.lastRotated().orElseThrow()).min(Comparator.naturalOrder());
        }
    }

    /**
     * One key of a row.
     *
     * @param active the report's {@code access_key_N_active}
     * @param lastRotated the report's {@code access_key_N_last_rotated}: when the key was created; empty when the
     *     report says the key is active but gives no time
     */
    public record ReportedKey(boolean active, Optional<Instant> lastRotated) {

        public ReportedKey {
            lastRotated = lastRotated == null ? Optional.empty() : lastRotated;
        }

        /** Whole days between the key's creation and {@code now}, never negative; empty when the time is unknown. */
        public Optional<Long> ageInDays(Instant now) {
            return lastRotated.map(created -> Math.max(0, Duration.between(created, now).toDays()));
        }
    }
}
