package dev.ikr.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A table item about a KMS key: the rotation of {@code rotation().oldKeyId()} and its retirement. It lives in the
 * table of the access keys, told apart by its kind ({@value #KIND}); its hash key ({@code user}) is the key's first
 * alias in sort order, a name no IAM user can have (it holds a {@code /}), and its range key ({@code ak}) the old
 * key's id.
 *
 * @param rotation the fields it shares with an access key's item: the old and new key ids, the owner's address at
 *     the rotation, the state, the retirement date ({@code delete_on}, the TTL), the attempts and the reason
 * @param aliases every alias of the old key when its rotation started, sorted: the aliases the rotation moves, and
 *     moves back when it is withdrawn
 */
public record KmsKeyRecord(RotationRecord rotation, List<String> aliases) {

    /** The item's {@code kind}: absent on an access key's item. */
    public static final String KIND = "kms_key";
    private static final Pattern ALIAS = Pattern.compile("alias/[A-Za-z0-9/_-]{1,250}");

    public KmsKeyRecord {
        Objects.requireNonNull(rotation, "rotation");
        aliases = List.copyOf(aliases == null ? List.of() : aliases.stream().sorted().toList());
        if (aliases.isEmpty()) {
            throw new IllegalArgumentException("a KMS key's item names the aliases of its rotation");
        }
        for (String alias : aliases) {
            if (!ALIAS.matcher(alias).matches()) {
                throw new IllegalArgumentException("'" + alias + "' is not a KMS alias name");
            }
        }
        if (!rotation.user().equals(aliases.getFirst())) {
            throw new IllegalArgumentException("a KMS key's item is keyed by its first alias, " + aliases.getFirst()
                    + ", not " + rotation.user());
        }
    }

    /** The intent written before the new key is created. */
    public static KmsKeyRecord intent(KmsKey key, EmailAddress owner, Instant now) {
        String alias = key.firstAlias().orElseThrow(() -> new IllegalArgumentException("key " + key.id()
                + " has no alias: IKR rotates keys by their aliases"));
        return new KmsKeyRecord(RotationRecord.intent(alias, key.id(), owner, now), key.aliases());
    }

    /** The same aliases with the rotation's fields changed (same hash and range key). */
    public KmsKeyRecord with(RotationRecord changed) {
        if (!changed.user().equals(rotation.user()) || !changed.oldKeyId().equals(rotation.oldKeyId())) {
            throw new IllegalArgumentException("an item keeps its alias and old key id");
        }
        return new KmsKeyRecord(changed, aliases);
    }

    /** The first alias: the item's hash key. */
    public String alias() {
        return rotation.user();
    }

    public String oldKeyId() {
        return rotation.oldKeyId();
    }

    public Optional<String> newKeyId() {
        return rotation.newKeyId();
    }

    public RecordState state() {
        return rotation.state();
    }

    public boolean isIntent() {
        return rotation.isIntent();
    }

    /** The intent once the new key exists. */
    public KmsKeyRecord withNewKey(String createdKeyId) {
        return with(rotation.withNewKey(createdKeyId));
    }

    /** The intent once every alias points at the new key and the owner was told: the old key retires at {@code when}. */
    public KmsKeyRecord scheduled(String newKeyId, Instant when) {
        return with(rotation.scheduled(newKeyId, when));
    }

    /** The aliases as the item stores them: one string, comma-separated (an alias name has no comma). */
    public String aliasList() {
        return String.join(",", aliases);
    }

    /** The aliases an item stores. */
    public static List<String> parseAliasList(String stored) {
        return List.of(stored.split(",", -1));
    }
}
