package dev.ikr.domain;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A 32-byte Fernet key: the first 16 bytes sign (HMAC-SHA256), the last 16 encrypt (AES-128).
 *
 * <p>Its {@linkplain #encoded() encoded form} is the padded url-safe base64 string produced by
 * Python cryptography's {@code Fernet.generate_key().decode()}, so keys are interchangeable with it.
 * Key material never appears in {@link #toString()} or in exception messages.
 */
public final class EncryptionKey {

    private static final int KEY_BYTES = 32;
    private static final int HALF = KEY_BYTES / 2;
    private static final int ENCODED_LENGTH = 44;

    private final byte[] bytes;

    private EncryptionKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Generates a fresh random key. */
    public static EncryptionKey generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] bytes = new byte[KEY_BYTES];
        random.nextBytes(bytes);
        return new EncryptionKey(bytes);
    }

    /**
     * Reads a key from its padded url-safe base64 form (44 characters, as Python's
     * {@code Fernet.generate_key()} produces).
     *
     * @throws IllegalArgumentException if the text is not such a key; the message never contains the text
     */
    public static EncryptionKey fromEncoded(String urlSafeBase64) {
        Objects.requireNonNull(urlSafeBase64, "urlSafeBase64");
        if (urlSafeBase64.length() != ENCODED_LENGTH) {
            throw invalid();
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(urlSafeBase64);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (bytes.length != KEY_BYTES) {
            throw invalid();
        }
        return new EncryptionKey(bytes);
    }

    private static IllegalArgumentException invalid() {
        return new IllegalArgumentException(
                "a Fernet key must be 32 bytes encoded as padded url-safe base64 (44 characters)");
    }

    /** The padded url-safe base64 form, as Python's {@code Fernet.generate_key().decode()} produces. */
    public String encoded() {
        return Base64.getUrlEncoder().encodeToString(bytes);
    }

    /** The HMAC-SHA256 half, for the Fernet cipher. */
    public byte[] signingKey() {
        return Arrays.copyOfRange(bytes, 0, HALF);
    }

    /** The AES-128 half, for the Fernet cipher. */
    public byte[] encryptionKey() {
        return Arrays.copyOfRange(bytes, HALF, KEY_BYTES);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EncryptionKey that && MessageDigest.isEqual(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "EncryptionKey[<redacted>]";
    }
}
