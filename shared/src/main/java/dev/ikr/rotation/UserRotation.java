package dev.ikr.rotation;

import static dev.ikr.util.Failures.describe;

import dev.ikr.domain.AccessKey;
import dev.ikr.domain.AllowedEmailDomains;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.IamUser;
import dev.ikr.domain.IssuedAccessKey;
import dev.ikr.domain.KeyReport;
import dev.ikr.domain.LastDelivery;
import dev.ikr.domain.MisconfiguredUserException;
import dev.ikr.domain.RotationDecision.Repair;
import dev.ikr.domain.RotationDecision.Rotate;
import dev.ikr.domain.RotationDecision.Skip;
import dev.ikr.domain.RotationDecision;
import dev.ikr.domain.RotationPolicy;
import dev.ikr.domain.RotationRecord;
import dev.ikr.domain.SkipReason;
import dev.ikr.domain.UserSettings;
import dev.ikr.log.JsonLog;
import dev.ikr.message.MessageRenderer;
import dev.ikr.port.IdentityDirectory;
import dev.ikr.port.PendingDeletions;
import dev.ikr.port.RotationConflictException;
import dev.ikr.rotation.Rotator.Mode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One user's rotation, in an order that never leaves the user without a working key or with a key nobody
 * received: intent (conditional write) → create key → note its id → deliver → schedule the old key's deletion.
 * Any failure after the key exists withdraws it; what cannot be withdrawn now, the next run's repair finishes.
 */
final class UserRotation {

    private static final JsonLog LOG = JsonLog.forClass(UserRotation.class);

    private final IdentityDirectory directory;
    private final PendingDeletions pendingDeletions;
    private final KeyDelivery delivery;
    private final RotationPolicy defaults;
    private final AllowedEmailDomains allowedDomains;
    private final RotationPlanner planner = new RotationPlanner();
    private final CredentialReportPrefilter prefilter = new CredentialReportPrefilter();

    UserRotation(IdentityDirectory directory, PendingDeletions pendingDeletions, KeyDelivery delivery,
            RotationPolicy defaults, AllowedEmailDomains allowedDomains) {
        this.directory = directory;
        this.pendingDeletions = pendingDeletions;
        this.delivery = delivery;
        this.defaults = defaults;
        this.allowedDomains = allowedDomains;
    }

    /** The cleaning-up of an interrupted run, done before this run's own decision. */
    private record Repaired(String reason, Optional<String> deletedKeyId) {

        static String prefix(Optional<Repaired> repaired) {
            return repaired.map(done -> done.reason() + "; then ").orElse("");
        }
    }

    /**
     * Decides and acts for one user.
     *
     * @param keyReport the credential report's rows, when the run has one: a user it shows as surely not due is
     *     skipped without listing its keys
     */
    UserOutcome handle(IamUser user, List<RotationRecord> records, Optional<LastDelivery> lastDelivery,
            Optional<KeyReport> keyReport, AccountForMails account, Mode mode, Instant now) {
        UserSettings settings;
        RotationPolicy policy;
        try {
            settings = UserSettings.fromTags(user, allowedDomains);
            policy = defaults.forUser(settings);
        } catch (MisconfiguredUserException e) {
            return UserOutcome.of(user.name(), Action.MISCONFIGURED, e.getMessage());
        }
        if (keyReport.isPresent()) {
            Optional<Skip> unlisted = prefilter.skipWithoutListing(keyReport.get().forUser(user.name()), records,
                    policy, now);
            if (unlisted.isPresent()) {
                return skipped(user.name(), unlisted.get(), Optional.empty());
            }
        }
        List<AccessKey> keys = directory.accessKeys(user.name());
        Optional<Repaired> repaired = Optional.empty();
        RotationDecision decision = planner.decide(keys, records, policy, now);
        if (decision instanceof Repair repair) {
            if (mode == Mode.PLAN) {
                return new UserOutcome(user.name(), Action.WOULD_REPAIR, repairReason(repair),
                        Optional.of(repair.intent().oldKeyId()), repair.undeliveredKeyId());
            }
            repaired = Optional.of(repair(user.name(), repair));
            keys = keys.stream().filter(key -> !repair.undeliveredKeyId().map(key.id()::equals).orElse(false))
                    .toList();
            records = records.stream().filter(record -> !record.isIntent()).toList();
            decision = planner.decide(keys, records, policy, now);
        }
        String before = Repaired.prefix(repaired);
        return switch (decision) {
            case Skip skip -> skipped(user.name(), skip, repaired);
            case Rotate rotate when mode == Mode.PLAN -> new UserOutcome(user.name(), Action.WOULD_ROTATE,
                    before + "key " + rotate.oldKey().id() + " is " + rotate.oldKey().ageInDays(now)
                            + " days old; the limit is " + rotate.policy().rotateAfterDays() + " days",
                    Optional.of(rotate.oldKey().id()), Optional.empty());
            case Rotate rotate -> rotate(user.name(), settings, rotate, repaired,
                    previousAddress(records, lastDelivery), account, now);
            case Repair repair -> UserOutcome.of(user.name(), Action.FAILED,
                    "a second repair was asked for right after the first: " + repairReason(repair));
        };
    }

    private static UserOutcome skipped(String user, Skip skip, Optional<Repaired> repaired) {
        Action action = repaired.isPresent() ? Action.REPAIRED
                : skip.reason().needsAttention() ? Action.NEEDS_ATTENTION : Action.SKIPPED;
        return UserOutcome.of(user, action, Repaired.prefix(repaired) + skip.reason().code() + ": " + skip.detail());
    }

    /** Deletes the key an interrupted run created but did not deliver, then its intent. */
    private Repaired repair(String user, Repair repair) {
        repair.undeliveredKeyId().ifPresent(keyId -> directory.deleteAccessKey(user, keyId));
        pendingDeletions.removeIntent(user, repair.intent().oldKeyId());
        return new Repaired(repairReason(repair), repair.undeliveredKeyId());
    }

    private static String repairReason(Repair repair) {
        return "an interrupted rotation of key " + repair.intent().oldKeyId() + " was cleaned up"
                + repair.undeliveredKeyId().map(id -> " (undelivered key " + id + " deleted)").orElse("");
    }

    private UserOutcome rotate(String user, UserSettings settings, Rotate rotate, Optional<Repaired> repaired,
            Optional<EmailAddress> previousAddress, AccountForMails account, Instant now) {
        String before = Repaired.prefix(repaired) + clearStale(rotate.staleFirst());
        String oldKeyId = rotate.oldKey().id();
        RotationRecord intent = RotationRecord.intent(user, oldKeyId, settings.email(), now);
        try {
            pendingDeletions.recordIntent(intent);
        } catch (RotationConflictException concurrent) {
            return UserOutcome.of(user, Action.SKIPPED, before + SkipReason.ROTATION_IN_PROGRESS.code()
                    + ": another run is already rotating key " + oldKeyId);
        }
        IssuedAccessKey newKey;
        try {
            newKey = directory.createAccessKey(user);
        } catch (RuntimeException e) {
            return new UserOutcome(user, Action.FAILED, before + "could not create a new key (" + describe(e)
                    + ")" + cleanUpAfterFailedCreate(user, rotate.oldKey()), Optional.of(oldKeyId), Optional.empty());
        }
        Instant deleteOn = now.plus(Duration.ofDays(rotate.policy().deleteAfterDays()));
        Optional<Instant> deactivateOn = rotate.policy().deactivateAfterDays()
                .map(days -> now.plus(Duration.ofDays(days)));
        try {
            pendingDeletions.recordNewKey(intent.withNewKey(newKey.id()));
            delivery.deliver(user, settings, oldKeyId, newKey, deactivateOn, deleteOn,
                    repaired.flatMap(Repaired::deletedKeyId), account.get());
        } catch (RuntimeException e) {
            return withdraw(user, oldKeyId, newKey.id(), before + "the new key could not be delivered ("
                    + describe(e) + ")");
        }
        try {
            pendingDeletions.scheduleDeletion(intent.scheduled(newKey.id(), deactivateOn, deleteOn));
        } catch (RuntimeException e) {
            if (!scheduledDespite(user, oldKeyId, newKey.id())) {
                return withdraw(user, oldKeyId, newKey.id(), before
                        + "the new key was mailed but the old key could not be scheduled for deletion ("
                        + describe(e) + ")");
            }
        }
        String notice = previousAddress.filter(previous -> !previous.equals(settings.email()))
                .map(previous -> announce(user, previous, settings, newKey.id(), account)).orElse("");
        return new UserOutcome(user, Action.ROTATED, before + "key " + oldKeyId + " was "
                + rotate.oldKey().ageInDays(now) + " days old; new key mailed to " + settings.email()
                + deactivateOn.map(at -> "; old key deactivated on " + MessageRenderer.mailDate(at)).orElse("")
                + "; old key deleted on " + MessageRenderer.mailDate(deleteOn) + notice,
                Optional.of(oldKeyId), Optional.of(newKey.id()));
    }

    /**
     * Where the user's keys went last: the address of its latest delivered rotation still in the table, or the
     * delivery remembered after an earlier one finished.
     */
    private static Optional<EmailAddress> previousAddress(List<RotationRecord> records,
            Optional<LastDelivery> lastDelivery) {
        Optional<LastDelivery> latest = records.stream().filter(record -> !record.isIntent())
                .map(LastDelivery::of).flatMap(Optional::stream)
                .max(java.util.Comparator.comparing(LastDelivery::deliveredAt));
        if (lastDelivery.isPresent() && (latest.isEmpty()
                || lastDelivery.get().deliveredAt().isAfter(latest.get().deliveredAt()))) {
            latest = lastDelivery;
        }
        return latest.map(LastDelivery::address);
    }

    /** The notice to the previous address; a failure is reported in the outcome, the rotation stands. */
    private String announce(String user, EmailAddress previous, UserSettings settings, String newKeyId,
            AccountForMails account) {
        try {
            delivery.announceAddressChange(user, previous, settings, newKeyId, account.get());
            return "; the address changed: the previous address " + previous + " was told";
        } catch (RuntimeException e) {
            LOG.error("previous address not told of the change", Map.of("user", user, "reason", describe(e)));
            return "; the address changed, but telling the previous address " + previous + " failed ("
                    + describe(e) + ")";
        }
    }

    /**
     * Removes the pending deletions of keys already gone: left in the table, their expiry would delete the user's
     * SSM decryption key, which from this rotation on protects the new key's mail.
     */
    private String clearStale(List<RotationRecord> stale) {
        if (stale.isEmpty()) {
            return "";
        }
        stale.forEach(pendingDeletions::clearStale);
        return "the pending deletion of key" + (stale.size() == 1 ? " " : "s ")
                + String.join(", ", stale.stream().map(RotationRecord::oldKeyId).toList())
                + ", already deleted by hand, was cleared; then ";
    }

    /** A failed schedule write may still have landed (a lost reply): then the rotation is complete. */
    private boolean scheduledDespite(String user, String oldKeyId, String newKeyId) {
        try {
            return pendingDeletions.isScheduled(user, oldKeyId, newKeyId);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Deletes a key that was not (or not surely) delivered, and its intent. If that fails too, the
     * intent stays and the next run's repair finishes the job.
     */
    private UserOutcome withdraw(String user, String oldKeyId, String newKeyId, String reason) {
        String outcome;
        try {
            directory.deleteAccessKey(user, newKeyId);
            pendingDeletions.removeIntent(user, oldKeyId);
            outcome = "; the new key was deleted and the next run tries again";
        } catch (RuntimeException e) {
            outcome = "; withdrawing the new key failed too (" + describe(e) + "): the next run deletes it";
        }
        return new UserOutcome(user, Action.FAILED, reason + outcome, Optional.of(oldKeyId), Optional.of(newKeyId));
    }

    /**
     * A failed {@code CreateAccessKey} may still have created a key (its reply was lost). The user had only
     * {@code oldKey} when the intent was written, so any other key that exists now was created by that call:
     * it was never delivered and is deleted, then the intent is removed. If that cannot be checked, the intent
     * stays and the next run's repair finishes the job.
     */
    private String cleanUpAfterFailedCreate(String user, AccessKey oldKey) {
        try {
            for (AccessKey key : directory.accessKeys(user)) {
                if (!key.id().equals(oldKey.id())) {
                    directory.deleteAccessKey(user, key.id());
                }
            }
            pendingDeletions.removeIntent(user, oldKey.id());
            return "; the next run tries again";
        } catch (RuntimeException e) {
            LOG.warn("intent left for the next run to clean up", Map.of("user", user, "keyId", oldKey.id(),
                    "reason", describe(e)));
            return "; the intent is kept so that the next run removes any key the call may have created";
        }
    }
}
