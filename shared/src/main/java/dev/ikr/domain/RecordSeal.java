package dev.ikr.domain;

import java.util.Objects;

/**
 * The proof that IKR wrote a table item exactly as it reads: an HMAC-SHA256 over the item's fields, and the data key
 * it was computed with, encrypted by the record KMS key ({@code RECORD_KMS_KEY_ID}). Both base64. Neither is a
 * secret: only IKR's two roles may decrypt the data key, and without it the MAC proves nothing to a reader.
 *
 * @param mac the item's {@code mac} attribute
 * @param wrappedKey the item's {@code mac_key} attribute: the KMS ciphertext of the data key
 */
public record RecordSeal(String mac, String wrappedKey) {

    public RecordSeal {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(wrappedKey, "wrappedKey");
    }
}
