package dev.ikr.rotation;

import static dev.ikr.util.Failures.describe;

import dev.ikr.domain.AccessKey;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.IssuedAccessKey;
import dev.ikr.domain.RotationDecision.Rotate;
import dev.ikr.domain.RotationRecord;
import dev.ikr.domain.SkipReason;
import dev.ikr.domain.UserSettings;
import dev.ikr.log.JsonLog;
import dev.ikr.message.MessageRenderer;
import dev.ikr.port.IdentityDirectory;
import dev.ikr.port.PendingDeletions;
import dev.ikr.port.RotationConflictException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The replacement of one user's key, in an order that never leaves the user without a working key or with a key
 * nobody received: intent (conditional write) → create key → note its id → deliver → schedule the old key's
 * deletion. Any failure after the key exists withdraws it; what cannot be withdrawn now, the next run's repair
 * finishes.
 */
final class KeyReplacement {

    private static final JsonLog LOG = JsonLog.forClass(KeyReplacement.class);

    private final IdentityDirectory directory;
    private final PendingDeletions pendingDeletions;
    private final KeyDelivery delivery;

    KeyReplacement(IdentityDirectory directory, PendingDeletions pendingDeletions, KeyDelivery delivery) {
        this.directory = directory;
        this.pendingDeletions = pendingDeletions;
        this.delivery = delivery;
    }

    /**
     * Replaces the user's key as {@code rotate} decided.
     *
     * @param repaired what the repair before it did, as the start of the outcome's reason ("" without one)
     * @param replacedKeyId the undelivered key that repair deleted, which this delivery replaces
     * @param previousAddress where the user's keys went last, if known: told when the address changed
     */
    UserOutcome rotate(String user, UserSettings settings, Rotate rotate, String repaired,
            Optional<String> replacedKeyId, Optional<EmailAddress> previousAddress, AccountForMails account,
            Instant now) {
        String before = repaired + clearStale(rotate.staleFirst());
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
        String delivered;
        try {
            pendingDeletions.recordNewKey(intent.withNewKey(newKey.id()));
            delivered = delivery.deliver(user, settings, oldKeyId, newKey, deactivateOn, deleteOn, replacedKeyId,
                    account.get());
        } catch (RuntimeException e) {
            return withdraw(user, oldKeyId, newKey.id(), before + "the new key could not be delivered ("
                    + describe(e) + ")");
        }
        try {
            pendingDeletions.scheduleDeletion(intent.scheduled(newKey.id(), deactivateOn, deleteOn));
        } catch (RuntimeException e) {
            if (!scheduledDespite(user, oldKeyId, newKey.id())) {
                return withdraw(user, oldKeyId, newKey.id(), before
                        + "the new key was delivered but the old key could not be scheduled for deletion ("
                        + describe(e) + ")");
            }
        }
        String notice = previousAddress.filter(previous -> !previous.equals(settings.email()))
                .map(previous -> announce(user, previous, settings, newKey.id(), account)).orElse("");
        return new UserOutcome(user, Action.ROTATED, before + "key " + oldKeyId + " was "
                + rotate.oldKey().ageInDays(now) + " days old; " + delivered
                + deactivateOn.map(at -> "; old key deactivated on " + MessageRenderer.mailDate(at)).orElse("")
                + "; old key deleted on " + MessageRenderer.mailDate(deleteOn) + notice,
                Optional.of(oldKeyId), Optional.of(newKey.id()));
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
