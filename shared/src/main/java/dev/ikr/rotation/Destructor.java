package dev.ikr.rotation;

import dev.ikr.domain.AccessKey;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationRecord;
import dev.ikr.domain.SecretParameterName;
import dev.ikr.domain.StreamChange;
import dev.ikr.domain.StreamChange.Malformed;
import dev.ikr.domain.StreamChange.Other;
import dev.ikr.domain.StreamChange.Removed;
import dev.ikr.log.JsonLog;
import dev.ikr.message.MessageRenderer;
import dev.ikr.port.IdentityDirectory;
import dev.ikr.port.IdentityDirectory.KeyDeletion;
import dev.ikr.port.Mailer;
import dev.ikr.port.PendingDeletions;
import dev.ikr.port.SecretStore;
import dev.ikr.util.Parallel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deletion use case, fed by the table's stream. Only a TTL removal of a pending deletion
 * deletes a key, and never the user's last working key. A failed deletion is written back to be
 * retried; after too many attempts it waits for a person. Records of different users are handled
 * in parallel, those of one user in stream order.
 */
public final class Destructor {

    /** The settings of the destructor. */
    public record Options(boolean encryptKeyPair, Duration retryAfter, int maxDeleteAttempts, int maxConcurrency) {
    }

    private static final JsonLog LOG = JsonLog.forClass(Destructor.class);

    private final IdentityDirectory directory;
    private final PendingDeletions pendingDeletions;
    private final SecretStore secretStore;
    private final Mailer mailer;
    private final MessageRenderer renderer;
    private final Options options;
    private final Clock clock;

    public Destructor(IdentityDirectory directory, PendingDeletions pendingDeletions, SecretStore secretStore,
            Mailer mailer, MessageRenderer renderer, Options options, Clock clock) {
        this.directory = directory;
        this.pendingDeletions = pendingDeletions;
        this.secretStore = secretStore;
        this.mailer = mailer;
        this.renderer = renderer;
        this.options = options;
        this.clock = clock;
    }

    /** Handles a batch; every record gets an outcome, in the batch's order. */
    public List<DeletionOutcome> process(List<StreamChange> batch, String accountId) {
        var account = new MailAccount(accountId, directory);
        Map<String, List<StreamChange>> byUser = new LinkedHashMap<>();
        for (StreamChange change : batch) {
            String lane = change instanceof Removed removed ? "user:" + removed.record().user() : change.eventId();
            byUser.computeIfAbsent(lane, key -> new ArrayList<>()).add(change);
        }
        Map<String, DeletionOutcome> outcomes = new HashMap<>();
        Parallel.map(List.copyOf(byUser.values()), options.maxConcurrency(),
                        lane -> lane.stream().map(change -> handle(change, account)).toList())
                .forEach(lane -> lane.forEach(outcome -> outcomes.put(outcome.eventId(), outcome)));
        return batch.stream().map(change -> outcomes.get(change.eventId())).toList();
    }

    private DeletionOutcome handle(StreamChange change, MailAccount account) {
        DeletionOutcome outcome;
        try {
            outcome = switch (change) {
                case Other other -> outcome(other.eventId(), DeletionOutcome.Result.IGNORED, null,
                        other.eventName() + " records are not deletions");
                case Malformed malformed -> new DeletionOutcome(malformed.eventId(),
                        DeletionOutcome.Result.MALFORMED, Optional.empty(), Optional.empty(), malformed.reason());
                case Removed removed -> removed(removed, account);
            };
        } catch (RuntimeException unexpected) {
            outcome = new DeletionOutcome(change.eventId(), DeletionOutcome.Result.FAILED, Optional.empty(),
                    Optional.empty(), Rotator.describe(unexpected));
        }
        log(outcome);
        return outcome;
    }

    private DeletionOutcome removed(Removed removed, MailAccount account) {
        RotationRecord record = removed.record();
        if (record.state() == RecordState.ROTATING) {
            return outcome(removed.eventId(), DeletionOutcome.Result.IGNORED, record,
                    "an intent was cleared; it never schedules a deletion");
        }
        if (!removed.removedByTtl()) {
            return outcome(removed.eventId(), DeletionOutcome.Result.CANCELLED, record,
                    "the record was deleted by " + removed.removedBy() + ", not by its TTL: the deletion is cancelled"
                            + " and the key is kept");
        }
        if (record.state() != RecordState.PENDING_DELETION) {
            return outcome(removed.eventId(), DeletionOutcome.Result.IGNORED, record,
                    "a " + record.state().attributeValue() + " record expired; only pending deletions delete keys");
        }
        return delete(removed.eventId(), record, account);
    }

    private DeletionOutcome delete(String eventId, RotationRecord record, MailAccount account) {
        KeyDeletion deletion;
        try {
            List<AccessKey> keys = directory.accessKeys(record.user());
            Optional<AccessKey> target = keys.stream().filter(key -> key.id().equals(record.oldKeyId())).findFirst();
            if (target.isEmpty()) {
                deletion = KeyDeletion.ALREADY_GONE;
            } else {
                boolean anotherActiveKey = keys.stream()
                        .anyMatch(key -> !key.id().equals(record.oldKeyId()) && key.isActive());
                if (!anotherActiveKey) {
                    String reason = keys.size() == 1
                            ? "key " + record.oldKeyId() + " is the user's only key: deleting it would leave the user"
                                    + " without access"
                            : "the user's other key is inactive: deleting " + record.oldKeyId()
                                    + " would leave the user without a working key";
                    return needsAttention(eventId, record, reason, true, account);
                }
                directory.deleteAccessKey(record.user(), record.oldKeyId());
                // listed a moment ago: "already gone" now means a retried call whose first attempt deleted it
                deletion = KeyDeletion.DELETED;
            }
        } catch (RuntimeException e) {
            return retryLater(eventId, record, "deleting the key failed: " + Rotator.describe(e), true, account);
        }
        Optional<String> parameterFailure = Optional.empty();
        if (options.encryptKeyPair()) {
            try {
                secretStore.deleteUserKey(record.user());
            } catch (RuntimeException e) {
                parameterFailure = Optional.of(Rotator.describe(e));
            }
        }
        if (deletion == KeyDeletion.DELETED) {
            boolean parameterDeleted = options.encryptKeyPair() && parameterFailure.isEmpty();
            sendQuietly(record, "key-deleted", account, parameterDeleted ? Map.of("parameterDeleted", "yes") : Map.of());
        }
        if (parameterFailure.isPresent()) {
            return retryLater(eventId, record, "the key is deleted but its SSM decryption key "
                    + SecretParameterName.forUser(record.user()) + " could not be: " + parameterFailure.get(), false,
                    account);
        }
        if (deletion == KeyDeletion.ALREADY_GONE) {
            return outcome(eventId, DeletionOutcome.Result.ALREADY_GONE, record,
                    "the key was already gone: nothing left to delete");
        }
        return outcome(eventId, DeletionOutcome.Result.DELETED, record, "key deleted"
                + (options.encryptKeyPair() ? " with its SSM decryption key" : "") + "; owner told");
    }

    /** Writes the record back with a later {@code delete_on}, or as needing attention after too many attempts. */
    private DeletionOutcome retryLater(String eventId, RotationRecord record, String cause, boolean keyKept,
            MailAccount account) {
        int attempts = record.attempts() + 1;
        if (attempts >= options.maxDeleteAttempts()) {
            return needsAttention(eventId, withAttempts(record, attempts),
                    "deletion failed " + attempts + " times; last error: " + cause, keyKept, account);
        }
        Instant retryAt = clock.instant().plus(options.retryAfter());
        var retry = new RotationRecord(record.user(), record.oldKeyId(), record.email(),
                RecordState.PENDING_DELETION, record.newKeyId(), Optional.of(retryAt), record.startedAt(), attempts,
                Optional.of(cause));
        try {
            pendingDeletions.putBack(retry);
        } catch (RuntimeException e) {
            return outcome(eventId, DeletionOutcome.Result.FAILED, record, cause + "; writing the record back failed too ("
                    + Rotator.describe(e) + "): the stream delivers it again");
        }
        return outcome(eventId, DeletionOutcome.Result.REQUEUED, record, cause + "; attempt " + attempts + " of "
                + options.maxDeleteAttempts() + ", retried after " + retryAt);
    }

    private DeletionOutcome needsAttention(String eventId, RotationRecord record, String reason, boolean keyKept,
            MailAccount account) {
        var parked = new RotationRecord(record.user(), record.oldKeyId(), record.email(), RecordState.NEEDS_ATTENTION,
                record.newKeyId(), Optional.empty(), record.startedAt(), record.attempts(), Optional.of(reason));
        try {
            pendingDeletions.putBack(parked);
        } catch (RuntimeException e) {
            return outcome(eventId, DeletionOutcome.Result.FAILED, record, reason + "; writing the record back failed ("
                    + Rotator.describe(e) + "): the stream delivers it again");
        }
        sendQuietly(record, "action-needed", account, keyKept ? Map.of("reason", reason, "keyKept", "yes")
                : Map.of("reason", reason));
        return outcome(eventId, DeletionOutcome.Result.NEEDS_ATTENTION, record, reason
                + (keyKept ? "; the key is kept" : "; a person must finish the clean-up"));
    }

    /** Mails the owner; a failed mail never undoes or repeats what was done, it is logged. */
    private void sendQuietly(RotationRecord record, String template, MailAccount account, Map<String, Object> extra) {
        try {
            Map<String, Object> values = new HashMap<>(extra);
            account.addTo(values);
            values.put("user", record.user());
            values.put("oldKeyId", record.oldKeyId());
            record.newKeyId().ifPresent(id -> values.put("newKeyId", id));
            values.put("secretParameter", SecretParameterName.forUser(record.user()));
            mailer.send(renderer.render(template, List.of(EmailAddress.of(record.email())), values));
        } catch (RuntimeException e) {
            LOG.error("owner not told", Map.of("user", record.user(), "keyId", record.oldKeyId(),
                    "template", template, "reason", Rotator.describe(e)));
        }
    }

    private static RotationRecord withAttempts(RotationRecord record, int attempts) {
        return new RotationRecord(record.user(), record.oldKeyId(), record.email(), record.state(), record.newKeyId(),
                record.deleteOn(), record.startedAt(), attempts, record.reason());
    }

    private static DeletionOutcome outcome(String eventId, DeletionOutcome.Result result, RotationRecord record,
            String reason) {
        return new DeletionOutcome(eventId, result, Optional.ofNullable(record).map(RotationRecord::user),
                Optional.ofNullable(record).map(RotationRecord::oldKeyId), reason);
    }

    private static void log(DeletionOutcome outcome) {
        JsonLog.Level level = switch (outcome.result()) {
            case FAILED, MALFORMED, NEEDS_ATTENTION -> JsonLog.Level.ERROR;
            case REQUEUED, CANCELLED -> JsonLog.Level.WARN;
            default -> JsonLog.Level.INFO;
        };
        LOG.write(level, "record", outcome.toMap());
    }
}
