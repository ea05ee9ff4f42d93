package dev.ikr.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** An existing access key as IAM lists it: never holds a secret. */
public record AccessKey(String id, KeyStatus status, Instant createdAt) {

    public AccessKey {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("an access key needs an id");
        }
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Whole days between the key's creation and {@code now}; never negative. */
    public long ageInDays(Instant now) {
        return Math.max(0, Duration.between(createdAt, now).toDays());
    }

    public boolean isActive() {
        return status == KeyStatus.ACTIVE;
    }
}
