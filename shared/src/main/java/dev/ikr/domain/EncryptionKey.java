package dev.ikr.domain;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A 32-byte Fernet key: the first 16 bytes sign (HMAC-SHA256), the last 16 encrypt (AES-128).
 *
 * <p>Its {@linkplain #encoded() encoded form} is the padded url-safe base64 string produced by
 * Python cryptography's {@code Fernet.generate_key().decode()}, so keys are interchangeable with it; it
 * {@linkplain #fromEncoded(String) reads} whatever Python's {@code Fernet(key)} reads.
 * Key material never appears in {@link #toString()} or in exception messages.
 */
public final class EncryptionKey {

    private static final int KEY_BYTES = 32;
    private static final int HALF = KEY_BYTES / 2;

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
     * Reads a key exactly as Python cryptography's {@code Fernet(key)} reads a {@code str} key, with
     * {@code base64.urlsafe_b64decode}: 32 bytes in base64 of either alphabet (url-safe {@code -_}, as IKR and
     * {@code Fernet.generate_key()} write it, or standard {@code +/}, even mixed). As in Python, characters outside
     * the alphabet (spaces, line breaks) are skipped, the padding must be complete, and whatever follows it is
     * ignored; a non-ASCII character is an error.
     *
     * @throws IllegalArgumentException if the text is not such a key; the message never contains the text
     */
    public static EncryptionKey fromEncoded(String base64) {
        Objects.requireNonNull(base64, "base64");
        byte[] bytes = pythonBase64Decode(base64);
        if (bytes.length != KEY_BYTES) {
            throw invalid();
        }
        return new EncryptionKey(bytes);
    }

    /**
     * CPython's {@code binascii.a2b_base64(text, strict_mode=False)} after {@code urlsafe_b64decode} has mapped
     * {@code -_} to {@code +/}: a port of its loop, so that what Python accepts and rejects is accepted and rejected
     * here.
     */
    private static byte[] pythonBase64Decode(String text) {
        if (!text.chars().allMatch(c -> c <= 0x7f)) {
            throw invalid();
        }
        var out = new ByteArrayOutputStream(text.length() * 3 / 4);
        int quadPosition = 0;
        int leftBits = 0;
        int pads = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '=') {
                if (quadPosition >= 2 && quadPosition + ++pads >= 4) {
                    return out.toByteArray();
                }
                continue;
            }
            int value = sextet(c);
            if (value < 0) {
                continue;
            }
            pads = 0;
            switch (quadPosition) {
                case 0 -> leftBits = value;
                case 1 -> {
                    out.write((leftBits << 2) | (value >> 4));
                    leftBits = value & 0x0f;
                }
                case 2 -> {
                    out.write((leftBits << 4) | (value >> 2));
                    leftBits = value & 0x03;
                }
                default -> {
                    out.write((leftBits << 6) | value);
                    leftBits = 0;
                }
            }
            quadPosition = (quadPosition + 1) % 4;
        }
        if (quadPosition != 0) {
            throw invalid();
        }
        return out.toByteArray();
    }

    /** The 6-bit value of a character of either base64 alphabet, or -1. */
    private static int sextet(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return switch (c) {
            case '+', '-' -> 62;
            case '/', '_' -> 63;
            default -> -1;
        };
    }

    private static IllegalArgumentException invalid() {
        return new IllegalArgumentException(
                "a Fernet key must be 32 bytes in base64, url-safe or standard (44 characters)");
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
