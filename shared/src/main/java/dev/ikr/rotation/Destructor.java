package dev.ikr.rotation;

import static dev.ikr.util.Failures.describe;

import dev.ikr.domain.DeletionDecision.AlreadyGone;
import dev.ikr.domain.DeletionDecision.Cancel;
import dev.ikr.domain.DeletionDecision.Deactivate;
import dev.ikr.domain.DeletionDecision.Delete;
import dev.ikr.domain.DeletionDecision.Ignore;
import dev.ikr.domain.DeletionDecision.Park;
import dev.ikr.domain.DeletionDecision.Postpone;
import dev.ikr.domain.DeletionDecision.Retry;
import dev.ikr.domain.DeletionDecision;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.InUseGuard;
import dev.ikr.domain.IamUser;
import dev.ikr.domain.LastDelivery;
import dev.ikr.domain.RotationRecord;
import dev.ikr.domain.SecretParameterName;
import dev.ikr.domain.StreamChange.KmsKeyRemoved;
import dev.ikr.domain.StreamChange.Malformed;
import dev.ikr.domain.StreamChange.Other;
import dev.ikr.domain.StreamChange.Removed;
import dev.ikr.domain.StreamChange;
import dev.ikr.domain.UnverifiedRecord;
import dev.ikr.log.JsonLog;
import dev.ikr.message.ActionNeededMail;
import dev.ikr.message.KeyDeactivatedMail;
import dev.ikr.message.KeyDeletedMail;
import dev.ikr.message.KeyInUseMail;
import dev.ikr.message.MessageRenderer;
import dev.ikr.port.IdentityDirectory;
import dev.ikr.port.KmsKeyRecords;
import dev.ikr.port.KmsKeys;
import dev.ikr.port.Mailer;
import dev.ikr.port.PendingDeletions;
import dev.ikr.port.RecordAuthenticator;
import dev.ikr.port.SecretStore;
import dev.ikr.port.SecretStore.UserKeyDeletion;
import dev.ikr.rotation.DeletionOutcome.Result;
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
 * The deletion use case, fed by the table's stream: the {@link DeletionPlanner} decides, this carries the
 * decision out through the ports. Records of different users are handled in parallel, those of one user in
 * stream order.
 */
public final class Destructor {

    /** The settings of the destructor. */
    public record Options(boolean encryptKeyPair, Duration retryAfter, int maxDeleteAttempts, int maxConcurrency,
            Optional<EmailAddress> adminEmail, InUseGuard inUse) {

        /** The in-use guard's defaults. */
        public Options(boolean encryptKeyPair, Duration retryAfter, int maxDeleteAttempts, int maxConcurrency,
                Optional<EmailAddress> adminEmail) {
            this(encryptKeyPair, retryAfter, maxDeleteAttempts, maxConcurrency, adminEmail,
                    InUseGuard.DEFAULT);
        }

        /** No administrator to tell, the in-use guard's defaults. */
        public Options(boolean encryptKeyPair, Duration retryAfter, int maxDeleteAttempts, int maxConcurrency) {
            this(encryptKeyPair, retryAfter, maxDeleteAttempts, maxConcurrency, Optional.empty());
        }
    }

    private static final JsonLog LOG = JsonLog.forClass(Destructor.class);

    private final IdentityDirectory directory;
    private final PendingDeletions pendingDeletions;
    private final SecretStore secretStore;
    private final RecordAuthenticator authenticator;
    private final OwnerMails mails;
    private final AdminMails adminMails;
    private final Options options;
    private final Clock clock;
    private final DeletionPlanner planner;
    /** The retirement of KMS keys' old keys, for their items. */
    private final Optional<KmsKeyRetirement> kmsKeys;

    public Destructor(IdentityDirectory directory, PendingDeletions pendingDeletions, SecretStore secretStore,
            RecordAuthenticator authenticator, Mailer mailer, MessageRenderer renderer, Options options, Clock clock) {
        this.directory = directory;
        this.pendingDeletions = pendingDeletions;
        this.secretStore = secretStore;
        this.authenticator = authenticator;
        this.mails = new OwnerMails(mailer, renderer);
        this.adminMails = new AdminMails(Destructor.class, mailer, renderer, options.adminEmail());
        this.options = options;
        this.clock = clock;
        this.planner = new DeletionPlanner(options.retryAfter(), options.maxDeleteAttempts(), options.inUse());
        this.kmsKeys = Optional.empty();
    }

    private Destructor(Destructor accessKeys, KmsKeyRetirement kmsKeys) {
        this.directory = accessKeys.directory;
        this.pendingDeletions = accessKeys.pendingDeletions;
        this.secretStore = accessKeys.secretStore;
        this.authenticator = accessKeys.authenticator;
        this.mails = accessKeys.mails;
        this.adminMails = accessKeys.adminMails;
        this.options = accessKeys.options;
        this.clock = accessKeys.clock;
        this.planner = accessKeys.planner;
        this.kmsKeys = Optional.of(kmsKeys);
    }

    /**
     * This destructor, retiring the old KMS keys of KMS keys' items too: disabled, then scheduled for deletion after
     * {@code pendingWindowDays} (7 to 30); failures are retried as the access keys' are.
     */
    public Destructor withKmsKeys(KmsKeys keys, KmsKeyRecords records, int pendingWindowDays) {
        return new Destructor(this, new KmsKeyRetirement(keys, records, authenticator, mails, adminMails, planner,
                pendingWindowDays, clock));
    }

    /** Handles a batch; every record gets an outcome, in the batch's order. */
    public List<DeletionOutcome> process(List<StreamChange> batch, String accountId) {
        var account = new AccountForMails(accountId, directory);
        Map<String, List<StreamChange>> byUser = new LinkedHashMap<>();
        for (StreamChange change : batch) {
            String lane = change instanceof Removed removed ? "user:" + removed.record().user()
                    : change instanceof KmsKeyRemoved kms ? "kms:" + kms.record().oldKeyId() : change.eventId();
            byUser.computeIfAbsent(lane, key -> new ArrayList<>()).add(change);
        }
        Map<String, DeletionOutcome> outcomes = new HashMap<>();
        Parallel.map(List.copyOf(byUser.values()), options.maxConcurrency(),
                        lane -> lane.stream().map(change -> handle(change, account)).toList())
                .forEach(lane -> lane.forEach(outcome -> outcomes.put(outcome.eventId(), outcome)));
        return batch.stream().map(change -> outcomes.get(change.eventId())).toList();
    }

    private DeletionOutcome handle(StreamChange change, AccountForMails account) {
        DeletionOutcome outcome;
        try {
            outcome = switch (change) {
                case Other other -> DeletionOutcome.of(other.eventId(), Result.IGNORED,
                        other.eventName() + " records are not deletions");
                case Malformed malformed -> DeletionOutcome.of(malformed.eventId(), Result.MALFORMED,
                        malformed.reason());
                case Removed removed -> removed(removed, account);
                case KmsKeyRemoved kms -> kmsKeys.orElseThrow(() -> new IllegalStateException("this destructor was"
                        + " built without the KMS keys' retirement")).handle(kms, account);
            };
        } catch (RuntimeException unexpected) {
            outcome = DeletionOutcome.of(change.eventId(), Result.FAILED, describe(unexpected));
        }
        log(outcome);
        return outcome;
    }

    private DeletionOutcome removed(Removed removed, AccountForMails account) {
        RotationRecord record = removed.record();
        Optional<DeletionDecision> early = planner.beforeListingKeys(removed);
        if (early.isPresent()) {
            return carryOut(removed.eventId(), early.get(), Audience.recorded(record, account, mails));
        }
        Optional<String> notAuthentic = authenticator.whyNotAuthentic(record, removed.seal());
        if (notAuthentic.isPresent()) {
            var unverified = new UnverifiedRecord(record, removed.seal().isPresent(), notAuthentic.get());
            adminMails.reportUnverified("The destructor", List.of(unverified), account);
            return DeletionOutcome.of(removed.eventId(), Result.UNVERIFIED_RECORD, record, "the record was not"
                    + " written by IKR: " + notAuthentic.get() + "; no key is deleted and no owner is mailed");
        }
        Optional<IamUser> user;
        DeletionDecision decision;
        try {
            user = directory.user(record.user());
            decision = planner.decide(record, user, directory.accessKeys(record.user()), clock.instant());
        } catch (RuntimeException e) {
            return carryOut(removed.eventId(), stepFailed(record, "reading the user and its keys", e),
                    Audience.recorded(record, account, mails));
        }
        Audience audience = Audience.current(user, account, mails);
        if (decision instanceof Deactivate || decision instanceof Delete) {
            try {
                decision = planner.guard(decision, directory.lastUse(record.oldKeyId()), clock.instant());
            } catch (RuntimeException e) {
                return carryOut(removed.eventId(), stepFailed(record, "checking the key's last use", e), audience);
            }
        }
        return carryOut(removed.eventId(), decision, audience);
    }

    private DeletionOutcome carryOut(String eventId, DeletionDecision decision, Audience audience) {
        return switch (decision) {
            case Ignore ignore -> DeletionOutcome.of(eventId, Result.IGNORED, ignore.record(), ignore.reason());
            case Cancel cancel -> DeletionOutcome.of(eventId, Result.CANCELLED, cancel.record(),
                    "the record was deleted by " + cancel.removedBy() + ", not by its TTL: the deletion is cancelled"
                            + " and the key is kept");
            case Delete delete -> delete(eventId, delete, audience);
            case Deactivate deactivate -> deactivate(eventId, deactivate, audience);
            case Postpone postpone -> postpone(eventId, postpone, audience);
            case AlreadyGone gone -> cleanUp(eventId, gone.record(), false, Optional.empty(), audience);
            case Retry retry -> retryLater(eventId, retry);
            case Park park -> park(eventId, park, audience);
        };
    }

    private DeletionOutcome delete(String eventId, Delete delete, Audience audience) {
        RotationRecord record = delete.record();
        try {
            // listed a moment ago: "already gone" now means a retried call whose first attempt deleted it
            directory.deleteAccessKey(record.user(), record.oldKeyId());
        } catch (RuntimeException e) {
            return carryOut(eventId, stepFailed(record, "deleting the key", e), audience);
        }
        return cleanUp(eventId, record, true, delete.usedDespite(), audience);
    }

    /**
     * Sets the old key inactive, writes the item back with the deletion date, then tells the owner. Should the write
     * fail, the stream delivers the removal again: deactivating an inactive key changes nothing, so it is repeated.
     */
    private DeletionOutcome deactivate(String eventId, Deactivate deactivate, Audience audience) {
        RotationRecord record = deactivate.record();
        RotationRecord next = deactivate.next();
        try {
            directory.deactivateAccessKey(record.user(), record.oldKeyId());
        } catch (RuntimeException e) {
            return carryOut(eventId, stepFailed(record, "deactivating the key", e), audience);
        }
        try {
            pendingDeletions.putBack(next);
        } catch (RuntimeException e) {
            return DeletionOutcome.of(eventId, Result.FAILED, record, "key deactivated, but writing the record back"
                    + " with its deletion date failed (" + describe(e) + "): the stream delivers it again");
        }
        Instant deleteOn = next.deleteOn().orElseThrow();
        audience.tell(record, "key-deactivated", (owner, account) -> new KeyDeactivatedMail(owner, account,
                record.user(), record.oldKeyId(), record.newKeyId(), deleteOn, deactivate.usedDespite()));
        return DeletionOutcome.of(eventId, Result.DEACTIVATED, record, "key deactivated"
                + deactivate.usedDespite().map(use -> " although it was used on " + use.describe()).orElse("")
                + "; deleted on " + deleteOn + "; owner told");
    }

    /** Writes the record back with the step's later date and tells the owner where the key was used. */
    private DeletionOutcome postpone(String eventId, Postpone postpone, Audience audience) {
        RotationRecord next = postpone.postponed();
        try {
            pendingDeletions.putBack(next);
        } catch (RuntimeException e) {
            return DeletionOutcome.of(eventId, Result.FAILED, next, next.reason().orElse("")
                    + "; writing the record back failed (" + describe(e) + "): the stream delivers it again");
        }
        audience.tell(next, "key-in-use", (owner, account) -> new KeyInUseMail(owner, account, next.user(),
                next.oldKeyId(), next.newKeyId(), postpone.step(), postpone.use(), next.deleteOn().orElseThrow(),
                next.deletionDate().orElseThrow(), postpone.postponementsLeft()));
        return DeletionOutcome.of(eventId, Result.POSTPONED, next, next.reason().orElse("") + " (postponement "
                + next.postponements() + "); owner told");
    }

    private DeletionDecision stepFailed(RotationRecord record, String step, RuntimeException e) {
        return planner.afterFailure(record, step + " failed: " + describe(e), true, clock.instant());
    }

    /**
     * After the key is gone: its SSM decryption key (only if it belongs to this rotation: a later rotation's stays),
     * the owner's mail, and the outcome.
     */
    private DeletionOutcome cleanUp(String eventId, RotationRecord record, boolean deletedNow,
            Optional<dev.ikr.domain.KeyUse> usedDespite, Audience audience) {
        String parameter = SecretParameterName.forUser(record.user());
        Optional<UserKeyDeletion> userKey = Optional.empty();
        Optional<String> parameterFailure = Optional.empty();
        if (options.encryptKeyPair()) {
            try {
                userKey = Optional.of(secretStore.deleteUserKey(record.user(), record.newKeyId()));
            } catch (RuntimeException e) {
                parameterFailure = Optional.of(describe(e));
            }
        }
        boolean parameterDeleted = userKey.equals(Optional.of(UserKeyDeletion.DELETED));
        if (deletedNow) {
            audience.tell(record, "key-deleted", (owner, account) -> new KeyDeletedMail(owner, account,
                    record.user(), record.oldKeyId(), record.newKeyId(),
                    parameterDeleted ? Optional.of(parameter) : Optional.empty(), usedDespite));
        }
        rememberDelivery(record);
        if (parameterFailure.isPresent()) {
            return carryOut(eventId, planner.afterFailure(record, "the key is deleted but its SSM decryption key "
                    + parameter + " could not be: " + parameterFailure.get(), false, clock.instant()), audience);
        }
        String decryptionKey = userKey.map(found -> switch (found) {
            case DELETED -> " with its SSM decryption key";
            case ABSENT -> "";
            case KEPT_FOR_ANOTHER_ROTATION -> "; the SSM decryption key " + parameter
                    + " belongs to a later rotation and is kept";
        }).orElse("");
        if (!deletedNow) {
            return DeletionOutcome.of(eventId, Result.ALREADY_GONE, record,
                    "the key was already gone: nothing left to delete" + decryptionKey);
        }
        return DeletionOutcome.of(eventId, Result.DELETED, record, "key deleted" + decryptionKey + "; owner told");
    }

    /**
     * Once the old key is gone, remembers where its replacement was mailed, so that a later change of
     * {@code IKR:EMAIL} is announced there. A failure only loses that notice: it is logged.
     */
    private void rememberDelivery(RotationRecord record) {
        LastDelivery.of(record).ifPresent(delivery -> {
            try {
                pendingDeletions.recordDelivery(delivery);
            } catch (RuntimeException e) {
                LOG.warn("where the key was delivered is not remembered: a change of address will not be announced",
                        Map.of("user", record.user(), "reason", describe(e)));
            }
        });
    }

    /** Writes the record back with a later {@code delete_on}: its expiry brings it back to this function. */
    private DeletionOutcome retryLater(String eventId, Retry retry) {
        RotationRecord next = retry.retry();
        try {
            pendingDeletions.putBack(next);
        } catch (RuntimeException e) {
            return DeletionOutcome.of(eventId, Result.FAILED, next, retry.cause()
                    + "; writing the record back failed too (" + describe(e) + "): the stream delivers it again");
        }
        return DeletionOutcome.of(eventId, Result.REQUEUED, next, retry.cause() + "; attempt " + next.attempts()
                + " of " + planner.maxDeleteAttempts() + ", retried after " + next.deleteOn().orElseThrow());
    }

    /** Writes the record back without a TTL and asks the owner to act. */
    private DeletionOutcome park(String eventId, Park park, Audience audience) {
        RotationRecord record = park.parked();
        try {
            pendingDeletions.putBack(record);
        } catch (RuntimeException e) {
            return DeletionOutcome.of(eventId, Result.FAILED, record, park.reason()
                    + "; writing the record back failed (" + describe(e) + "): the stream delivers it again");
        }
        audience.tell(record, "action-needed", (owner, account) -> new ActionNeededMail(owner, account,
                record.user(), record.oldKeyId(), record.newKeyId(), park.reason(), park.keyKept(),
                SecretParameterName.forUser(record.user())));
        return DeletionOutcome.of(eventId, Result.NEEDS_ATTENTION, record, park.reason()
                + (park.keyKept() ? "; the key is kept" : "; a person must finish the clean-up"));
    }

    private static void log(DeletionOutcome outcome) {
        JsonLog.Level level = switch (outcome.result()) {
            case FAILED, MALFORMED, NEEDS_ATTENTION, UNVERIFIED_RECORD -> JsonLog.Level.ERROR;
            case REQUEUED, CANCELLED, POSTPONED -> JsonLog.Level.WARN;
            default -> JsonLog.Level.INFO;
        };
        LOG.write(level, "record", outcome.toMap());
    }
}
