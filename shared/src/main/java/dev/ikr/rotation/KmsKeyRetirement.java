package dev.ikr.rotation;

import static dev.ikr.util.Failures.describe;

import dev.ikr.domain.DeletionDecision;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.KmsKey;
import dev.ikr.domain.KmsKeyRecord;
import dev.ikr.domain.KmsRetirementDecision;
import dev.ikr.domain.KmsRetirementDecision.AlreadyRetired;
import dev.ikr.domain.KmsRetirementDecision.Park;
import dev.ikr.domain.KmsRetirementDecision.Retire;
import dev.ikr.domain.StreamChange.KmsKeyRemoved;
import dev.ikr.domain.TagKeys;
import dev.ikr.domain.UnverifiedRecord;
import dev.ikr.message.KmsKeyActionNeededMail;
import dev.ikr.message.KmsKeyRetiredMail;
import dev.ikr.port.KmsKeyRecords;
import dev.ikr.port.KmsKeys;
import dev.ikr.port.RecordAuthenticator;
import dev.ikr.rotation.DeletionOutcome.Result;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The destructor's part for KMS keys: when a KMS key's item expires, its old key is disabled ({@code DisableKey})
 * and scheduled for deletion ({@code ScheduleKeyDeletion}, {@code KMS_PENDING_WINDOW_DAYS}), never deleted at once,
 * once the {@link KmsRetirementPlanner} found KMS corroborating the item. A failed step is retried, bounded, as the
 * access keys' deletions are ({@link DeletionPlanner#afterFailure}).
 */
final class KmsKeyRetirement {

    private final KmsKeys keys;
    private final KmsKeyRecords records;
    private final RecordAuthenticator authenticator;
    private final OwnerMails mails;
    private final AdminMails adminMails;
    private final DeletionPlanner deletionPlanner;
    private final KmsRetirementPlanner planner = new KmsRetirementPlanner();
    private final int pendingWindowDays;
    private final Clock clock;

    KmsKeyRetirement(KmsKeys keys, KmsKeyRecords records, RecordAuthenticator authenticator, OwnerMails mails,
            AdminMails adminMails, DeletionPlanner deletionPlanner, int pendingWindowDays, Clock clock) {
        if (pendingWindowDays < 7 || pendingWindowDays > 30) {
            throw new IllegalArgumentException("KMS takes a pending window of 7 to 30 days");
        }
        this.keys = keys;
        this.records = records;
        this.authenticator = authenticator;
        this.mails = mails;
        this.adminMails = adminMails;
        this.deletionPlanner = deletionPlanner;
        this.pendingWindowDays = pendingWindowDays;
        this.clock = clock;
    }

    DeletionOutcome handle(KmsKeyRemoved removed, AccountForMails account) {
        KmsKeyRecord record = removed.record();
        String eventId = removed.eventId();
        Optional<DeletionDecision> early = deletionPlanner.beforeListingKeys(removed.asRemoved());
        if (early.isPresent()) {
            return switch (early.get()) {
                case DeletionDecision.Cancel cancel -> DeletionOutcome.of(eventId, Result.CANCELLED, cancel.record(),
                        "the item was deleted by " + cancel.removedBy() + ", not by its TTL: the retirement is"
                                + " cancelled and key " + record.oldKeyId() + " is kept");
                case DeletionDecision.Ignore ignore -> DeletionOutcome.of(eventId, Result.IGNORED, ignore.record(),
                        ignore.reason());
                default -> throw new IllegalStateException("not an early decision: " + early.get());
            };
        }
        Optional<String> notAuthentic = authenticator.whyNotAuthentic(record, removed.seal());
        if (notAuthentic.isPresent()) {
            adminMails.reportUnverified("The destructor", List.of(new UnverifiedRecord(record.rotation(),
                    removed.seal().isPresent(), notAuthentic.get())), account);
            return DeletionOutcome.of(eventId, Result.UNVERIFIED_RECORD, record.rotation(), "the item was not"
                    + " written by IKR: " + notAuthentic.get() + "; no key is retired and no owner is mailed");
        }
        Optional<KmsKey> old;
        KmsRetirementDecision decision;
        try {
            old = keys.find(record.oldKeyId());
            Optional<KmsKey> replacement = record.newKeyId().flatMap(keys::find);
            decision = planner.decide(record, old, replacement);
        } catch (RuntimeException e) {
            return failed(eventId, record, "reading the keys from KMS failed: " + describe(e), Optional.empty(),
                    account);
        }
        Optional<EmailAddress> owner = old.flatMap(KmsKeyRetirement::owner);
        return switch (decision) {
            case AlreadyRetired done -> DeletionOutcome.of(eventId, Result.ALREADY_GONE, record.rotation(),
                    done.why() + ": nothing left to retire");
            case Park park -> park(eventId, park.parked(), park.reason(), owner, account);
            case Retire retire -> retire(eventId, record, owner, account);
        };
    }

    private DeletionOutcome retire(String eventId, KmsKeyRecord record, Optional<EmailAddress> owner,
            AccountForMails account) {
        Instant deletionDate;
        try {
            keys.disable(record.oldKeyId());
            deletionDate = keys.scheduleDeletion(record.oldKeyId(), pendingWindowDays);
        } catch (RuntimeException e) {
            return failed(eventId, record, "retiring the key failed: " + describe(e), owner, account);
        }
        mails.send(record.rotation(), "kms-key-retired", owner, to -> new KmsKeyRetiredMail(to, account.get(),
                record.aliases(), record.oldKeyId(), record.newKeyId().orElseThrow(), deletionDate));
        return DeletionOutcome.of(eventId, Result.RETIRED, record.rotation(), "key disabled and scheduled for"
                + " deletion on " + deletionDate + " (CancelKeyDeletion brings it back until then); owner told");
    }

    /** A failed step: tried again after {@code RETRY_AFTER_MINS}, or parked after {@code MAX_DELETE_ATTEMPTS}. */
    private DeletionOutcome failed(String eventId, KmsKeyRecord record, String cause, Optional<EmailAddress> owner,
            AccountForMails account) {
        return switch (deletionPlanner.afterFailure(record.rotation(), cause, true, clock.instant())) {
            case DeletionDecision.Retry retry -> {
                KmsKeyRecord next = record.with(retry.retry());
                try {
                    records.putBack(next);
                } catch (RuntimeException e) {
                    yield DeletionOutcome.of(eventId, Result.FAILED, next.rotation(), cause
                            + "; writing the item back failed too (" + describe(e) + "): the stream delivers it again");
                }
                yield DeletionOutcome.of(eventId, Result.REQUEUED, next.rotation(), cause + "; attempt "
                        + next.rotation().attempts() + " of " + deletionPlanner.maxDeleteAttempts()
                        + ", retried after " + next.rotation().deleteOn().orElseThrow());
            }
            case DeletionDecision.Park park -> park(eventId, record.with(park.parked()), park.reason(), owner,
                    account);
            default -> throw new IllegalStateException("not a decision after a failure");
        };
    }

    /** Writes the item back without a TTL and asks the owner to decide: the key is kept. */
    private DeletionOutcome park(String eventId, KmsKeyRecord parked, String reason, Optional<EmailAddress> owner,
            AccountForMails account) {
        try {
            records.putBack(parked);
        } catch (RuntimeException e) {
            return DeletionOutcome.of(eventId, Result.FAILED, parked.rotation(), reason
                    + "; writing the item back failed (" + describe(e) + "): the stream delivers it again");
        }
        mails.send(parked.rotation(), "kms-key-action-needed", owner, to -> new KmsKeyActionNeededMail(to,
                account.get(), parked.alias(), parked.aliases(), parked.oldKeyId(), parked.newKeyId(), reason));
        return DeletionOutcome.of(eventId, Result.NEEDS_ATTENTION, parked.rotation(), reason + "; the key is kept");
    }

    /** The key's current owner ({@code IKR:EMAIL}): never an address the item alone names. */
    private static Optional<EmailAddress> owner(KmsKey key) {
        try {
            return key.tag(TagKeys.EMAIL).map(EmailAddress::of);
        } catch (IllegalArgumentException notAnAddress) {
            return Optional.empty();
        }
    }
}
