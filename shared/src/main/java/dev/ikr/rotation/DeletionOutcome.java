package dev.ikr.rotation;

import dev.ikr.domain.RotationRecord;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What the destructor did with one stream record. */
public record DeletionOutcome(String eventId, Result result, Optional<String> user, Optional<String> keyId,
        String reason) {

    public enum Result {
        DELETED(false),
        /** The first of two stages: the old key is inactive, the record is back with its deletion date. */
        DEACTIVATED(false),
        /** The old key is still in use: its step is later, the record is back with that date. */
        POSTPONED(false),
        ALREADY_GONE(false),
        /** A KMS key's old key: disabled and scheduled for deletion ({@code CancelKeyDeletion} brings it back). */
        RETIRED(false),
        CANCELLED(false),
        IGNORED(false),
        REQUEUED(false),
        NEEDS_ATTENTION(false),
        /** The record's seal does not prove IKR wrote it: nothing was done, the administrator is told. */
        UNVERIFIED_RECORD(false),
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

    /** The outcome of a record that names no user (unreadable, or not a removal). */
    public static DeletionOutcome of(String eventId, Result result, String reason) {
        return new DeletionOutcome(eventId, result, Optional.empty(), Optional.empty(), reason);
    }

    /** The outcome of the removal of {@code record}. */
    public static DeletionOutcome of(String eventId, Result result, RotationRecord record, String reason) {
        return new DeletionOutcome(eventId, result, Optional.of(record.user()), Optional.of(record.oldKeyId()),
                reason);
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
