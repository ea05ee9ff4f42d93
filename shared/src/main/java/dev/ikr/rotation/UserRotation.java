package dev.ikr.rotation;

import dev.ikr.domain.AccessKey;
import dev.ikr.domain.AllowedEmailDomains;
import dev.ikr.domain.DeliveryBounds;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.IamUser;
import dev.ikr.domain.KeyReport;
import dev.ikr.domain.LastDelivery;
import dev.ikr.domain.MisconfiguredUserException;
import dev.ikr.domain.RotationDecision.Repair;
import dev.ikr.domain.RotationDecision.Rotate;
import dev.ikr.domain.RotationDecision.Skip;
import dev.ikr.domain.RotationDecision;
import dev.ikr.domain.RotationPolicy;
import dev.ikr.domain.RotationRecord;
import dev.ikr.domain.UserSettings;
import dev.ikr.port.IdentityDirectory;
import dev.ikr.port.PendingDeletions;
import dev.ikr.rotation.Rotator.Mode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One user's rotation: its settings, the decision, the repair of an interrupted run first, then the replacement of
 * its key ({@link KeyReplacement}) or the reason there is none.
 */
final class UserRotation {

    private final IdentityDirectory directory;
    private final PendingDeletions pendingDeletions;
    private final KeyReplacement replacement;
    private final RotationPolicy defaults;
    private final AllowedEmailDomains allowedDomains;
    private final DeliveryBounds deliveryBounds;
    private final RotationPlanner planner = new RotationPlanner();
    private final CredentialReportPrefilter prefilter = new CredentialReportPrefilter();

    UserRotation(IdentityDirectory directory, PendingDeletions pendingDeletions, KeyDelivery delivery,
            RotationPolicy defaults, AllowedEmailDomains allowedDomains, DeliveryBounds deliveryBounds) {
        this.directory = directory;
        this.pendingDeletions = pendingDeletions;
        this.replacement = new KeyReplacement(directory, pendingDeletions, delivery);
        this.defaults = defaults;
        this.allowedDomains = allowedDomains;
        this.deliveryBounds = deliveryBounds;
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
            settings = UserSettings.fromTags(user, allowedDomains, deliveryBounds);
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
            case Rotate rotate -> replacement.rotate(user.name(), settings, rotate, before,
                    repaired.flatMap(Repaired::deletedKeyId), previousAddress(records, lastDelivery), account, now);
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
}
