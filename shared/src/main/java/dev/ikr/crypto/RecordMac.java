package dev.ikr.crypto;

import dev.ikr.domain.KmsKeyRecord;
import dev.ikr.domain.RotationRecord;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA256 of a table item: over every field IKR reads back (user, both key ids, email, state, dates,
 * attempts, reason, the grace period's deletion date, postponements and last check, and the account the item
 * names) and a scope that names the record key and the table, so an item copied from another table or account does
 * not verify, and an item cannot be moved to another member account. Each field is written with its length, so no
 * two different items have the same input. A KMS key's item ({@link KmsKeyRecord}) adds its kind and aliases after
 * all of those: an access key's item never has them, so neither kind of item verifies as the other.
 */
public final class RecordMac {

    private static final String ALGORITHM = "HmacSHA256";
    private static final String VERSION = "ikr-record-v1";
    /** The data key's length: AES_256, 32 bytes. */
    public static final int KEY_BYTES = 32;

    private RecordMac() {
    }

    public static byte[] compute(byte[] key, String scope, RotationRecord record) {
        return hmac(key, canonical(scope, record));
    }

    /** The MAC of a KMS key's item. */
    public static byte[] compute(byte[] key, String scope, KmsKeyRecord record) {
        return hmac(key, canonical(scope, record));
    }

    /** Whether {@code mac} is the MAC of a KMS key's item; compared in constant time. */
    public static boolean matches(byte[] key, String scope, KmsKeyRecord record, byte[] mac) {
        return MessageDigest.isEqual(compute(key, scope, record), mac);
    }

    private static byte[] hmac(byte[] key, byte[] input) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a record MAC key has " + KEY_BYTES + " bytes");
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
        }
    }

    /** Whether {@code mac} is the MAC of {@code record}; compared in constant time. */
    public static boolean matches(byte[] key, String scope, RotationRecord record, byte[] mac) {
        return MessageDigest.isEqual(compute(key, scope, record), mac);
    }

    static byte[] canonical(String scope, RotationRecord record) {
        var input = new StringBuilder(VERSION).append('\n');
        field(input, "scope", Optional.of(scope));
        field(input, "user", Optional.of(record.user()));
        field(input, "ak", Optional.of(record.oldKeyId()));
        field(input, "email", Optional.of(record.email()));
        field(input, "state", Optional.of(record.state().attributeValue()));
        field(input, "new_ak", record.newKeyId());
        field(input, "delete_on", record.deleteOn().map(at -> Long.toString(at.getEpochSecond())));
        field(input, "started_at", Optional.of(record.startedAt().toString()));
        field(input, "attempts", Optional.of(Integer.toString(record.attempts())));
        field(input, "reason", record.reason());
        // the grace period's fields, only when set: an item without them keeps the seal it had before they existed
        if (record.finalDeleteOn().isPresent()) {
            field(input, "final_delete_on", record.finalDeleteOn().map(at -> Long.toString(at.getEpochSecond())));
        }
        if (record.postponements() > 0) {
            field(input, "postponements", Optional.of(Integer.toString(record.postponements())));
        }
        if (record.checkedAt().isPresent()) {
            field(input, "checked_at", record.checkedAt().map(Instant::toString));
        }
        // the account, only when set: an item of the table's own account keeps the seal it had before accounts existed
        if (record.account().isPresent()) {
            field(input, "account", record.account());
        }
        return input.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A KMS key's item: every field of an access key's item, then its kind and aliases. */
    static byte[] canonical(String scope, KmsKeyRecord record) {
        var input = new StringBuilder(new String(canonical(scope, record.rotation()), StandardCharsets.UTF_8));
        field(input, "kind", Optional.of(KmsKeyRecord.KIND));
        field(input, "aliases", Optional.of(record.aliasList()));
        return input.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void field(StringBuilder input, String name, Optional<String> value) {
        input.append(name).append('=');
        value.ifPresentOrElse(present -> input.append(present.length()).append(':').append(present),
                () -> input.append('-'));
        input.append('\n');
    }
}
