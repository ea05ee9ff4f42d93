package dev.ikr.aws;

import dev.ikr.domain.KmsKeyRecord;
import dev.ikr.domain.RecordSeal;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationRecord;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The mapping between a {@link RotationRecord} and the table's item. The one place that names attributes. */
public final class RotationTableItems {

    public static final String USER = "user";
    public static final String OLD_KEY = "ak";
    public static final String EMAIL = "email";
    public static final String STATE = "state";
    public static final String NEW_KEY = "new_ak";
    public static final String STARTED_AT = "started_at";
    public static final String DELETE_ON = "delete_on";
    public static final String ATTEMPTS = "attempts";
    public static final String REASON = "reason";
    /** In two stages, while {@code delete_on} is the deactivation date: the deletion date (epoch seconds). */
    public static final String FINAL_DELETE_ON = "final_delete_on";
    public static final String POSTPONEMENTS = "postponements";
    public static final String CHECKED_AT = "checked_at";
    /** The account of the user and its keys; absent: the table's own account. */
    public static final String ACCOUNT = "account";
    /** The item's seal (see {@link dev.ikr.domain.RecordSeal}). */
    public static final String MAC = "mac";
    public static final String MAC_KEY = "mac_key";
    /** {@value KmsKeyRecord#KIND} on a KMS key's item; absent on an access key's item (the original project's too). */
    public static final String KIND = "kind";
    /** A KMS key's item: the aliases its rotation moves, comma-separated. */
    public static final String ALIASES = "aliases";

    private RotationTableItems() {
    }

    public static Map<String, AttributeValue> key(String user, String oldKeyId) {
        return Map.of(USER, AttributeValue.fromS(user), OLD_KEY, AttributeValue.fromS(oldKeyId));
    }

    static Map<String, AttributeValue> toItem(RotationRecord record) {
        var item = new HashMap<>(key(record.user(), record.oldKeyId()));
        item.put(EMAIL, AttributeValue.fromS(record.email()));
        item.put(STATE, AttributeValue.fromS(record.state().attributeValue()));
        item.put(STARTED_AT, AttributeValue.fromS(record.startedAt().toString()));
        item.put(ATTEMPTS, AttributeValue.fromN(Integer.toString(record.attempts())));
        record.newKeyId().ifPresent(id -> item.put(NEW_KEY, AttributeValue.fromS(id)));
        record.deleteOn().ifPresent(at -> item.put(DELETE_ON, AttributeValue.fromN(Long.toString(at.getEpochSecond()))));
        record.reason().ifPresent(reason -> item.put(REASON, AttributeValue.fromS(reason)));
        record.finalDeleteOn().ifPresent(at -> item.put(FINAL_DELETE_ON,
                AttributeValue.fromN(Long.toString(at.getEpochSecond()))));
        if (record.postponements() > 0) {
            item.put(POSTPONEMENTS, AttributeValue.fromN(Integer.toString(record.postponements())));
        }
        record.checkedAt().ifPresent(at -> item.put(CHECKED_AT, AttributeValue.fromS(at.toString())));
        record.account().ifPresent(account -> item.put(ACCOUNT, AttributeValue.fromS(account)));
        return item;
    }

    /** The item of {@code record} with its seal. */
    public static Map<String, AttributeValue> toItem(RotationRecord record, RecordSeal seal) {
        var item = toItem(record);
        item.put(MAC, AttributeValue.fromS(seal.mac()));
        item.put(MAC_KEY, AttributeValue.fromS(seal.wrappedKey()));
        return item;
    }

    /** The item's seal, if it carries one (both attributes, as strings). */
    public static Optional<RecordSeal> seal(Map<String, AttributeValue> item) {
        Optional<String> mac = string(item, MAC);
        Optional<String> wrappedKey = string(item, MAC_KEY);
        return mac.isPresent() && wrappedKey.isPresent() ? Optional.of(new RecordSeal(mac.get(), wrappedKey.get()))
                : Optional.empty();
    }

    /**
     * Reads an access key's item. Items written by the original project carry only {@code user}, {@code ak},
     * {@code email} and {@code delete_on}: they read as pending deletions. An item that carries a KMS key's
     * attributes ({@value #KIND} or {@value #ALIASES}) without being a KMS key's item is refused: its seal, made over an
     * access key's fields, would not cover them.
     *
     * @throws IllegalArgumentException naming the attribute that is missing, malformed or out of place
     */
    public static RotationRecord toRecord(Map<String, AttributeValue> item) {
        for (String kmsOnly : new String[] {KIND, ALIASES}) {
            if (item.containsKey(kmsOnly)) {
                throw new IllegalArgumentException("the record has a '" + kmsOnly + "' attribute, which only a KMS"
                        + " key's item (its user an alias name) carries");
            }
        }
        return commonFields(item);
    }

    /** The fields every item has, whatever its kind (an access key's or a KMS key's): what the TTL stand-in reads. */
    public static RotationRecord commonFields(Map<String, AttributeValue> item) {
        String user = requiredString(item, USER);
        String oldKey = requiredString(item, OLD_KEY);
        Optional<Instant> deleteOn = number(item, DELETE_ON).map(Instant::ofEpochSecond);
        RecordState state = string(item, STATE).map(RecordState::fromAttributeValue)
                .orElse(deleteOn.isPresent() ? RecordState.PENDING_DELETION : RecordState.NEEDS_ATTENTION);
        Instant startedAt = string(item, STARTED_AT).map(Instant::parse).orElse(Instant.EPOCH);
        return new RotationRecord(user, oldKey, string(item, EMAIL).orElse(""), state, string(item, NEW_KEY),
                deleteOn, startedAt, number(item, ATTEMPTS).map(value -> count(value, ATTEMPTS)).orElse(0),
                string(item, REASON), number(item, FINAL_DELETE_ON).map(Instant::ofEpochSecond),
                number(item, POSTPONEMENTS).map(value -> count(value, POSTPONEMENTS)).orElse(0),
                string(item, CHECKED_AT).map(Instant::parse), string(item, ACCOUNT));
    }

    private static int count(long value, String name) {
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the record's '" + name + "' attribute is out of range");
        }
        return (int) value;
    }

    private static String requiredString(Map<String, AttributeValue> item, String name) {
        return string(item, name).filter(value -> !value.isBlank())
                .orElseThrow(() -> new IllegalArgumentException("the record has no '" + name + "' string attribute"));
    }

    private static Optional<String> string(Map<String, AttributeValue> item, String name) {
        return Optional.ofNullable(item.get(name)).map(AttributeValue::s);
    }

    private static Optional<Long> number(Map<String, AttributeValue> item, String name) {
        return Optional.ofNullable(item.get(name)).map(AttributeValue::n).map(value -> {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the record's '" + name + "' attribute is not a whole number");
            }
        });
    }

    /** Whether an item is a KMS key's: its {@value #KIND} says so, and its hash key is an alias name. */
    public static boolean isKmsKeyItem(Map<String, AttributeValue> item) {
        return string(item, KIND).filter(KmsKeyRecord.KIND::equals).isPresent()
                && string(item, USER).filter(user -> user.startsWith("alias/")).isPresent();
    }

    /** The item of a KMS key's {@code record} with its seal. */
    public static Map<String, AttributeValue> toItem(KmsKeyRecord record, RecordSeal seal) {
        var item = toItem(record.rotation(), seal);
        item.put(KIND, AttributeValue.fromS(KmsKeyRecord.KIND));
        item.put(ALIASES, AttributeValue.fromS(record.aliasList()));
        return item;
    }

    /**
     * Reads a KMS key's item.
     *
     * @throws IllegalArgumentException naming the attribute that is missing or malformed
     */
    public static KmsKeyRecord toKmsKeyRecord(Map<String, AttributeValue> item) {
        String aliases = requiredString(item, ALIASES);
        return new KmsKeyRecord(commonFields(item), KmsKeyRecord.parseAliasList(aliases));
    }
}
