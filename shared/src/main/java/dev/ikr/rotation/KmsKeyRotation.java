package dev.ikr.rotation;

import static dev.ikr.util.Failures.describe;

import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.KmsKey;
import dev.ikr.domain.KmsKeyDecision;
import dev.ikr.domain.KmsKeyDecision.EnableAutoRotation;
import dev.ikr.domain.KmsKeyDecision.Misconfigured;
import dev.ikr.domain.KmsKeyDecision.Repair;
import dev.ikr.domain.KmsKeyDecision.Rotate;
import dev.ikr.domain.KmsKeyDecision.Skip;
import dev.ikr.domain.KmsKeyRecord;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.UnverifiedRecord;
import dev.ikr.log.JsonLog;
import dev.ikr.message.KmsKeyRotatedMail;
import dev.ikr.message.MessageRenderer;
import dev.ikr.port.KmsKeyRecords;
import dev.ikr.port.KmsKeys;
import dev.ikr.port.Mailer;
import dev.ikr.port.RotationConflictException;
import dev.ikr.rotation.Rotator.Mode;
import dev.ikr.rotation.Rotator.TimeLeft;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The KMS keys' part of a rotator run ({@code ROTATE_KMS_KEYS}): each key of the account and Region gets an outcome,
 * decided by the {@link KmsRotationPlanner}. A rotation goes: the intent item; {@code CreateKey} with the old key's
 * spec, usage, description, policy and tags (plus {@code IKR:ROTATED_FROM}); its id on the intent; every alias moved
 * ({@code UpdateAlias}); for an asymmetric key the new public key ({@code GetPublicKey}); the owner's mail; the old
 * key's retirement date on the item. Should a step after {@code CreateKey} fail, the aliases already moved go back,
 * the new key is scheduled for deletion with the shortest window, and the key is {@code failed}; the next run tries
 * again. One key's failure never stops the others, nor the users'.
 */
public final class KmsKeyRotation {

    /** The shortest pending window KMS allows: for a new key that was never handed out. */
    public static final int WITHDRAWN_KEY_WINDOW_DAYS = 7;
    private static final JsonLog LOG = JsonLog.forClass(KmsKeyRotation.class);

    private final KmsKeys keys;
    private final KmsKeyRecords records;
    private final Mailer mailer;
    private final MessageRenderer renderer;
    private final KmsRotationPlanner planner;
    private final AdminMails adminMails;

    public KmsKeyRotation(KmsKeys keys, KmsKeyRecords records, Mailer mailer, MessageRenderer renderer,
            KmsRotationPlanner.Options options, Optional<EmailAddress> adminEmail) {
        this.keys = keys;
        this.records = records;
        this.mailer = mailer;
        this.renderer = renderer;
        this.planner = new KmsRotationPlanner(options);
        this.adminMails = new AdminMails(KmsKeyRotation.class, mailer, renderer, adminEmail);
    }

    /** Decides, and in {@link Mode#APPLY} acts, for every key; never throws. */
    List<KmsKeyOutcome> run(AccountForMails account, Mode mode, TimeLeft timeLeft, Instant now) {
        KmsKeyRecords.Contents table;
        List<KmsKey> all;
        try {
            table = records.all();
            all = keys.all().stream().sorted(Comparator.comparing((KmsKey key) -> key.firstAlias().orElse("~"))
                    .thenComparing(KmsKey::id)).toList();
        } catch (RuntimeException e) {
            return List.of(logged(KmsKeyOutcome.of(KmsKeyOutcome.EVERY_KEY, List.of(), Action.FAILED,
                    "the KMS keys or the table's KMS items could not be read: " + describe(e))));
        }
        if (mode == Mode.APPLY) {
            adminMails.reportUnverified("The rotator", table.unverified(), account);
        }
        Map<String, List<UnverifiedRecord>> unverified = table.unverified().stream()
                .collect(Collectors.groupingBy(UnverifiedRecord::oldKeyId));
        List<KmsKeyOutcome> outcomes = new ArrayList<>();
        for (KmsKey key : all) {
            KmsKeyOutcome outcome;
            if (timeLeft.remaining().compareTo(Rotator.SAFETY_MARGIN) < 0) {
                outcome = KmsKeyOutcome.of(key.id(), key.aliases(), Action.DEFERRED,
                        "the function's time limit is near: the next run handles this key");
            } else if (unverified.containsKey(key.id())) {
                outcome = unverified(key.id(), key.aliases(), unverified.get(key.id()));
            } else {
                try {
                    outcome = handle(key, all, table.verified(), account, mode, now);
                } catch (RuntimeException e) {
                    outcome = KmsKeyOutcome.of(key.id(), key.aliases(), Action.FAILED, describe(e));
                }
            }
            outcomes.add(logged(outcome));
        }
        outcomes.addAll(withoutKey(all, table));
        return outcomes;
    }

    private KmsKeyOutcome handle(KmsKey key, List<KmsKey> all, List<KmsKeyRecord> verified, AccountForMails account,
            Mode mode, Instant now) {
        KmsKeyDecision decision = planner.decide(key, all, verified, now);
        Optional<Withdrawn> withdrawn = Optional.empty();
        if (decision instanceof Repair repair) {
            if (mode == Mode.PLAN) {
                return KmsKeyOutcome.of(key.id(), key.aliases(), Action.WOULD_REPAIR, repairReason(repair));
            }
            withdrawn = Optional.of(withdraw(key, repair));
            Optional<KmsKey> afterwards = keys.find(key.id());
            if (afterwards.isEmpty()) {
                return KmsKeyOutcome.of(key.id(), key.aliases(), Action.REPAIRED, withdrawn.get().reason()
                        + "; key " + key.id() + " is not in KMS any more");
            }
            key = afterwards.get();
            List<KmsKeyRecord> rest = verified.stream().filter(record -> !(record.isIntent()
                    && record.oldKeyId().equals(repair.intent().oldKeyId()))).toList();
            decision = planner.decide(key, all, rest, now);
        }
        String before = withdrawn.map(done -> done.reason() + "; then ").orElse("");
        return switch (decision) {
            case Skip skip -> KmsKeyOutcome.of(key.id(), key.aliases(), withdrawn.isPresent() ? Action.REPAIRED
                    : skip.reason().needsAttention() ? Action.NEEDS_ATTENTION : Action.SKIPPED,
                    before + skip.reason().code() + ": " + skip.detail());
            case Misconfigured misconfigured -> KmsKeyOutcome.of(key.id(), key.aliases(), Action.MISCONFIGURED,
                    before + misconfigured.reason());
            case EnableAutoRotation enable -> autoRotation(enable.key(), mode);
            case Rotate rotate when mode == Mode.PLAN -> KmsKeyOutcome.of(key.id(), key.aliases(),
                    Action.WOULD_ROTATE, before + age(rotate, now));
            case Rotate rotate -> rotate(rotate, before, withdrawn.flatMap(Withdrawn::keyArn), account, now);
            case Repair repair -> KmsKeyOutcome.of(key.id(), key.aliases(), Action.FAILED,
                    "a second repair was asked for right after the first: " + repairReason(repair));
        };
    }

    private KmsKeyOutcome autoRotation(KmsKey key, Mode mode) {
        String symmetric = "symmetric: a symmetric encryption key, which KMS rotates itself";
        if (mode == Mode.PLAN) {
            return KmsKeyOutcome.of(key.id(), key.aliases(), Action.SKIPPED, symmetric
                    + "; its automatic rotation is turned on (KMS_ENABLE_AUTO_ROTATION) if it is off");
        }
        boolean turnedOn = keys.enableAutomaticRotation(key.id());
        return KmsKeyOutcome.of(key.id(), key.aliases(), Action.SKIPPED, symmetric + (turnedOn
                ? "; its automatic rotation was off and is turned on now (KMS_ENABLE_AUTO_ROTATION)"
                : "; its automatic rotation is on"));
    }

    /** What a repair withdrew: the reason, and the created key the next mail names. */
    private record Withdrawn(String reason, Optional<String> keyArn) {
    }

    /** Moves the aliases an interrupted run moved back to the old key, then schedules what it created for deletion. */
    private Withdrawn withdraw(KmsKey old, Repair repair) {
        for (KmsKey created : repair.created()) {
            for (String alias : created.aliases()) {
                keys.pointAlias(alias, old.id());
            }
        }
        for (KmsKey created : withdrawable(repair)) {
            keys.scheduleDeletion(created.id(), WITHDRAWN_KEY_WINDOW_DAYS);
        }
        records.removeIntent(repair.intent().alias(), repair.intent().oldKeyId());
        return new Withdrawn(repairReason(repair), withdrawable(repair).stream().map(KmsKey::arn).findFirst());
    }

    /** The keys of an interrupted run not yet scheduled for deletion (a roll-back may have done it already). */
    private static List<KmsKey> withdrawable(Repair repair) {
        return repair.created().stream().filter(key -> !key.isPendingDeletion()).toList();
    }

    private static String repairReason(Repair repair) {
        List<String> created = withdrawable(repair).stream().map(KmsKey::id).toList();
        return "an interrupted rotation of key " + repair.intent().oldKeyId() + " was withdrawn" + (created.isEmpty()
                ? " (no key of it left to withdraw)" : " (its aliases moved back; key " + String.join(", ", created)
                + " scheduled for deletion in " + WITHDRAWN_KEY_WINDOW_DAYS + " days)");
    }

    private static String age(Rotate rotate, Instant now) {
        return "key " + rotate.key().id() + " is " + Duration.between(rotate.key().createdAt(), now).toDays()
                + " days old; the limit is " + rotate.policy().rotateAfterDays() + " days";
    }

    /** The rotation's steps, in the order the class comment gives; a failure after {@code CreateKey} rolls back. */
    private KmsKeyOutcome rotate(Rotate rotate, String before, Optional<String> replacedKeyArn,
            AccountForMails account, Instant now) {
        KmsKey old = rotate.key();
        KmsKeyRecord intent = KmsKeyRecord.intent(old, rotate.settings().email(), now);
        try {
            records.recordIntent(intent);
        } catch (RotationConflictException running) {
            return KmsKeyOutcome.of(old.id(), old.aliases(), Action.SKIPPED, before + "rotation_in_progress: another"
                    + " run is rotating it");
        }
        KmsKey created;
        try {
            created = keys.create(old.copy(keys.keyPolicy(old.id())));
        } catch (RuntimeException e) {
            return KmsKeyOutcome.of(old.id(), old.aliases(), Action.FAILED, before + "creating its new key failed ("
                    + describe(e) + "): the intent stays, and the next run withdraws any key this attempt created"
                    + " (it carries " + KmsKey.ROTATED_FROM_TAG + "=" + old.id() + ") and tries again");
        }
        Instant retireOn = now.plus(Duration.ofDays(rotate.policy().deleteAfterDays()));
        List<String> moved = new ArrayList<>();
        String step = "noting the new key on the intent";
        try {
            intent = intent.withNewKey(created.id());
            records.recordNewKey(intent);
            step = "moving the aliases";
            for (String alias : intent.aliases()) {
                moved.add(alias);
                keys.pointAlias(alias, created.id());
            }
            step = "reading the new public key";
            Optional<String> pem = old.hasPublicKey() ? Optional.of(keys.publicKeyPem(created.id()))
                    : Optional.empty();
            step = "mailing the owner";
            var mail = new KmsKeyRotatedMail(rotate.settings().email(), account.get(), intent.aliases(),
                    old.keySpec(), old.keyUsage(), old.arn(), created.arn(), pem, retireOn,
                    rotate.settings().instructions(), replacedKeyArn);
            mailer.send(renderer.render(mail));
            step = "recording the old key's retirement";
            schedule(intent.scheduled(created.id(), retireOn));
        } catch (RuntimeException e) {
            return rollBack(old, intent, created, moved, before + step + " failed: " + describe(e));
        }
        return new KmsKeyOutcome(old.id(), intent.aliases(), Action.ROTATED, before + age(rotate, now) + "; "
                + intent.aliases().size() + " alias(es) moved to key " + created.id() + "; the old key retires on "
                + retireOn, Optional.of(created.id()));
    }

    /** Records the retirement; a write whose reply was lost counts when the item reads as written. */
    private void schedule(KmsKeyRecord scheduled) {
        try {
            records.scheduleRetirement(scheduled);
        } catch (RuntimeException e) {
            boolean written;
            try {
                written = records.isScheduled(scheduled.alias(), scheduled.oldKeyId(),
                        scheduled.newKeyId().orElseThrow());
            } catch (RuntimeException unknown) {
                written = false;
            }
            if (!written) {
                throw e;
            }
        }
    }

    /**
     * Undoes a rotation that failed after {@code CreateKey}: the aliases that point at the new key go back (KMS says
     * which: a move whose reply was lost counts; should it not say, every alias the rotation tried to move), and the
     * new key is scheduled for deletion. Only when both worked is the intent removed; otherwise it stays, and the next
     * run's repair finishes the withdrawal.
     */
    private KmsKeyOutcome rollBack(KmsKey old, KmsKeyRecord intent, KmsKey created, List<String> moved,
            String failure) {
        List<String> undone = new ArrayList<>();
        List<String> toMoveBack;
        try {
            toMoveBack = keys.aliasesOf(created.id()).stream().filter(intent.aliases()::contains).toList();
        } catch (RuntimeException unknown) {
            toMoveBack = moved;
        }
        for (String alias : toMoveBack) {
            try {
                keys.pointAlias(alias, old.id());
            } catch (RuntimeException e) {
                undone.add("moving " + alias + " back failed: " + describe(e));
            }
        }
        try {
            keys.scheduleDeletion(created.id(), WITHDRAWN_KEY_WINDOW_DAYS);
        } catch (RuntimeException e) {
            undone.add("scheduling the deletion of key " + created.id() + " failed: " + describe(e));
        }
        if (undone.isEmpty()) {
            try {
                records.removeIntent(intent.alias(), intent.oldKeyId());
            } catch (RuntimeException e) {
                // the next run finds the intent, and its key already pending deletion: it only removes the intent
            }
            return KmsKeyOutcome.of(old.id(), old.aliases(), Action.FAILED, failure + "; the aliases point at "
                    + old.id() + " again and the new key " + created.id() + " is scheduled for deletion in "
                    + WITHDRAWN_KEY_WINDOW_DAYS + " days; the next run tries again");
        }
        return KmsKeyOutcome.of(old.id(), old.aliases(), Action.FAILED, failure + "; " + String.join("; ", undone)
                + ": the intent stays, and the next run withdraws the rest");
    }

    /** The verified items whose old key KMS no longer lists, and the unverified ones of no listed key. */
    private static List<KmsKeyOutcome> withoutKey(List<KmsKey> all, KmsKeyRecords.Contents table) {
        Set<String> listed = all.stream().map(KmsKey::id).collect(Collectors.toSet());
        List<KmsKeyOutcome> outcomes = new ArrayList<>();
        for (KmsKeyRecord record : table.verified()) {
            if (listed.contains(record.oldKeyId())) {
                continue;
            }
            outcomes.add(logged(record.state() == RecordState.PENDING_DELETION
                    ? KmsKeyOutcome.of(record.oldKeyId(), record.aliases(), Action.SKIPPED, "retiring: key "
                            + record.oldKeyId() + " is not in KMS any more; its item expires on "
                            + record.rotation().deleteOn().orElseThrow())
                    : KmsKeyOutcome.of(record.oldKeyId(), record.aliases(), Action.NEEDS_ATTENTION,
                            "interrupted_rotation: the table has a " + record.state().attributeValue() + " item for key "
                                    + record.oldKeyId() + ", which is not in KMS any more"
                                    + record.rotation().reason().map(reason -> " (" + reason + ")").orElse("")
                                    + "; check its aliases, then delete the item")));
        }
        table.unverified().stream().filter(record -> !listed.contains(record.oldKeyId()))
                .collect(Collectors.groupingBy(UnverifiedRecord::oldKeyId))
                .forEach((keyId, found) -> outcomes.add(logged(unverified(keyId, List.of(found.getFirst().user()),
                        found))));
        return outcomes;
    }

    private static KmsKeyOutcome unverified(String keyId, List<String> aliases, List<UnverifiedRecord> found) {
        return KmsKeyOutcome.of(keyId, aliases, Action.UNVERIFIED_RECORD, "the table item of alias "
                + found.getFirst().user() + " for this key was not written by IKR: " + found.getFirst().reason()
                + "; nothing is done for this key until a person deletes it");
    }

    /** One log line per key: the decision and its reason, ids only. */
    private static KmsKeyOutcome logged(KmsKeyOutcome outcome) {
        JsonLog.Level level = switch (outcome.action()) {
            case FAILED, MISCONFIGURED, UNVERIFIED_RECORD -> JsonLog.Level.ERROR;
            case NEEDS_ATTENTION, DEFERRED -> JsonLog.Level.WARN;
            default -> JsonLog.Level.INFO;
        };
        LOG.write(level, "kms key decision", new HashMap<>(outcome.toMap()));
        return outcome;
    }
}
