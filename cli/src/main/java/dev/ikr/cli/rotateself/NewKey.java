package dev.ikr.cli.rotateself;

import java.time.Instant;
import java.util.Objects;

/** The key IAM has just created for {@code user}, with its secret and IAM's creation time. */
public record NewKey(String user, KeyPair pair, Instant createdAt) {

    public NewKey {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("a new key needs its user");
        }
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public String accessKeyId() {
        return pair.accessKeyId();
    }
}
