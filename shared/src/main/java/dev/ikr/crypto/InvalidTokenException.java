package dev.ikr.crypto;

/**
 * Thrown when a Fernet token cannot be decrypted with a key: malformed, tampered with, of an unknown
 * version, or made with another key. The message never contains the token, the key or the plaintext.
 */
public final class InvalidTokenException extends RuntimeException {

    public InvalidTokenException() {
        super("the token is not a valid Fernet token for this key");
    }
}
