package dev.ikr.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A new key as the rotator hands it to a delivery target: the key (whose {@code toString()} hides the secret), the
 * key it replaces and when that one is deleted.
 */
public record KeyHandover(String user, IssuedAccessKey key, String oldKeyId, Instant deleteOn) {

    public KeyHandover {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(oldKeyId, "oldKeyId");
        Objects.requireNonNull(deleteOn, "deleteOn");
    }
}
