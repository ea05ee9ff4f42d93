package dev.ikr.rotation;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What the destructor did with one stream record. */
public record DeletionOutcome(String eventId, Result result, Optional<String> user, Optional<String> keyId,
        String reason) {

    public enum Result {
        DELETED(false),
        ALREADY_GONE(false),
        CANCELLED(false),
        IGNORED(false),
        REQUEUED(false),
        NEEDS_ATTENTION(false),
        /** The record could not be read; the stream delivers it again, then to the on-failure destination. */
        MALFORMED(true),
        /** Even writing the record back failed: the stream must deliver it again. */
        FAILED(true);

        private final boolean retryByStream;

        Result(boolean retryByStream) {
            this.retryByStream = retryByStream;
        }

        public boolean retryByStream() {
            return retryByStream;
        }

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public DeletionOutcome {
        user = user == null ? Optional.empty() : user;
        keyId = keyId == null ? Optional.empty() : keyId;
    }

    public Map<String, Object> toMap() {
        var map = new LinkedHashMap<String, Object>();
        map.put("eventId", eventId);
        user.ifPresent(name -> map.put("user", name));
        keyId.ifPresent(id -> map.put("keyId", id));
        map.put("result", result.code());
        map.put("reason", reason);
        return map;
    }
}
