package dev.ikr.cli.rotateself;

/**
 * An access key with its secret: the profile's current key, or the new one. Its {@code toString()} never shows the
 * secret.
 */
public record KeyPair(String accessKeyId, String secretAccessKey) {

    public KeyPair {
        if (accessKeyId == null || accessKeyId.isBlank()) {
            throw new IllegalArgumentException("a key pair needs an access key id");
        }
        if (secretAccessKey == null || secretAccessKey.isBlank()) {
            throw new IllegalArgumentException("a key pair needs a secret access key");
        }
    }

    @Override
    public String toString() {
        return "KeyPair[accessKeyId=" + accessKeyId + ", secretAccessKey=<redacted>]";
    }
}
