package dev.ikr.rotation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The result for one tagged user: ids and reasons only, never a secret. */
public record UserOutcome(String user, Action action, String reason, Optional<String> oldKeyId,
        Optional<String> newKeyId) {

    public UserOutcome {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
        oldKeyId = oldKeyId == null ? Optional.empty() : oldKeyId;
        newKeyId = newKeyId == null ? Optional.empty() : newKeyId;
    }

    public static UserOutcome of(String user, Action action, String reason) {
        return new UserOutcome(user, action, reason, Optional.empty(), Optional.empty());
    }

    /** The JSON shape of the summary entry and of the log line: absent ids are left out. */
    public Map<String, Object> toMap() {
        var map = new LinkedHashMap<String, Object>();
        map.put("user", user);
        map.put("action", action.code());
        map.put("reason", reason);
        oldKeyId.ifPresent(id -> map.put("oldKeyId", id));
        newKeyId.ifPresent(id -> map.put("newKeyId", id));
        return map;
    }
}
