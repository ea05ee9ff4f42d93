package dev.ikr.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A key pair IAM has just created, with IAM's creation time. It is the only value that holds a secret access key,
 * and its {@code toString()} never shows it.
 */
public record IssuedAccessKey(String id, String secret, Instant createdAt) {

    public IssuedAccessKey {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("an issued access key needs an id");
        }
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("an issued access key needs its secret");
        }
        Objects.requireNonNull(createdAt, "createdAt");
    }

    @Override
    public String toString() {
        return "IssuedAccessKey[id=" + id + ", secret=<redacted>, createdAt=" + createdAt + "]";
    }
}
