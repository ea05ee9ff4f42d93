package dev.ikr.crypto;

import dev.ikr.domain.EncryptionKey;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fernet symmetric encryption (<a href="https://github.com/fernet/spec">spec</a>): AES-128-CBC with
 * PKCS7 padding, authenticated with HMAC-SHA256, as a url-safe base64 token.
 *
 * <p>Compatible with Python cryptography's {@code cryptography.fernet.Fernet}: tokens made here decrypt
 * with {@code Fernet(key).decrypt(token)} and vice versa, given the same {@link EncryptionKey}.
 * Instances are thread-safe.
 */
public final class Fernet {

    private static final byte VERSION = (byte) 0x80;
    private static final int HEADER_BYTES = 1 + 8; // version, timestamp
    private static final int IV_BYTES = 16;
    private static final int HMAC_BYTES = 32;
    private static final int MIN_TOKEN_BYTES = HEADER_BYTES + IV_BYTES + 16 + HMAC_BYTES;

    private final Clock clock;
    private final SecureRandom random;

    /**
     * @param clock  gives the timestamp written into tokens
     * @param random gives the initialisation vectors
     */
    public Fernet(Clock clock, SecureRandom random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Encrypts the UTF-8 bytes of {@code plaintext} into a padded url-safe base64 Fernet token. */
    public String encrypt(EncryptionKey key, String plaintext) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.encryptionKey(), "AES"), new IvParameterSpec(iv));
            byte[] ciphertext = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));

            ByteBuffer token = ByteBuffer.allocate(HEADER_BYTES + IV_BYTES + ciphertext.length + HMAC_BYTES);
            token.put(VERSION).putLong(clock.instant().getEpochSecond()).put(iv).put(ciphertext);
            token.put(hmac(key, token.array(), token.position()));
            return Base64.getUrlEncoder().encodeToString(token.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-128-CBC or HMAC-SHA256 is unavailable in this JVM", e);
        }
    }

    /**
     * Verifies and decrypts a Fernet token (padded or not) into its UTF-8 plaintext. No time-to-live is
     * enforced.
     *
     * @throws InvalidTokenException if the token is malformed, tampered with, of another version, made
     *                               with another key, or does not hold UTF-8 text
     */
    public String decrypt(EncryptionKey key, String token) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(token, "token");
        byte[] data;
        try {
            data = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException();
        }
        if (data.length < MIN_TOKEN_BYTES || data[0] != VERSION) {
            throw new InvalidTokenException();
        }
        int signedLength = data.length - HMAC_BYTES;
        try {
            byte[] expected = hmac(key, data, signedLength);
            if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(data, signedLength, data.length))) {
                throw new InvalidTokenException();
            }
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.encryptionKey(), "AES"),
                    new IvParameterSpec(data, HEADER_BYTES, IV_BYTES));
            int ciphertextOffset = HEADER_BYTES + IV_BYTES;
            byte[] plaintext = cipher.doFinal(data, ciphertextOffset, signedLength - ciphertextOffset);
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(plaintext)).toString();
        } catch (GeneralSecurityException | CharacterCodingException e) {
            throw new InvalidTokenException();
        }
    }

    private static byte[] hmac(EncryptionKey key, byte[] data, int length) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.signingKey(), "HmacSHA256"));
        mac.update(data, 0, length);
        return mac.doFinal();
    }
}
