package dev.ikr.rotation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The result for one KMS key: ids, aliases and reasons only (a key policy or a public key never appears here).
 *
 * @param keyId the key; {@value #EVERY_KEY} when the keys or the table's KMS items could not be read at all
 * @param newKeyId the key that replaced it, when it was rotated
 */
public record KmsKeyOutcome(String keyId, List<String> aliases, Action action, String reason,
        Optional<String> newKeyId) {

    /** The key id of the one outcome of a run that could not read the keys. */
    public static final String EVERY_KEY = "*";

    public KmsKeyOutcome {
        Objects.requireNonNull(keyId, "keyId");
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
        newKeyId = newKeyId == null ? Optional.empty() : newKeyId;
    }

    public static KmsKeyOutcome of(String keyId, List<String> aliases, Action action, String reason) {
        return new KmsKeyOutcome(keyId, aliases, action, reason, Optional.empty());
    }

    /** The JSON shape of the summary entry and of the log line. */
    public Map<String, Object> toMap() {
        var map = new LinkedHashMap<String, Object>();
        map.put("keyId", keyId);
        map.put("aliases", aliases);
        map.put("action", action.code());
        map.put("reason", reason);
        newKeyId.ifPresent(id -> map.put("newKeyId", id));
        return map;
    }
}
