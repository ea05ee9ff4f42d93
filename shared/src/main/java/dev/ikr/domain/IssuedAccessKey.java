package dev.ikr.domain;

/**
 * A key pair IAM has just created. It is the only value that holds a secret access key, and its
 * {@code toString()} never shows it.
 */
public record IssuedAccessKey(String id, String secret) {

    public IssuedAccessKey {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("an issued access key needs an id");
        }
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("an issued access key needs its secret");
        }
    }

    @Override
    public String toString() {
        return "IssuedAccessKey[id=" + id + ", secret=<redacted>]";
    }
}
