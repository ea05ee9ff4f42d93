package dev.ikr.rotation;

import dev.ikr.domain.EncryptionKey;
import dev.ikr.crypto.Fernet;
import dev.ikr.domain.AccessKey;
import dev.ikr.domain.CredentialReport;
import dev.ikr.domain.IamUser;
import dev.ikr.domain.IssuedAccessKey;
import dev.ikr.domain.KeyReport;
import dev.ikr.domain.MisconfiguredUserException;
import dev.ikr.domain.RotationDecision;
import dev.ikr.domain.RotationDecision.Repair;
import dev.ikr.domain.RotationDecision.Rotate;
import dev.ikr.domain.RotationDecision.Skip;
import dev.ikr.domain.RotationPolicy;
import dev.ikr.domain.RotationRecord;
import dev.ikr.domain.SecretParameterName;
import dev.ikr.domain.SkipReason;
import dev.ikr.domain.UserSettings;
import dev.ikr.log.JsonLog;
import dev.ikr.message.MessageRenderer;
import dev.ikr.port.IdentityDirectory;
import dev.ikr.port.Mailer;
import dev.ikr.port.PendingDeletions;
import dev.ikr.port.RotationConflictException;
import dev.ikr.port.SecretStore;
import dev.ikr.util.Parallel;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The rotation use case: finds the tagged users, asks the {@link RotationPlanner} what to do with
 * each, and does it through the ports, in an order that never leaves a user without a working key
 * or with a key nobody received:
 * intent (conditional write) → create key → note its id → encrypt and store the decryption key →
 * mail → schedule the old key's deletion. Any failure after the key exists withdraws it.
 *
 * <p>To spare one {@code ListAccessKeys} call per tagged user, a run first reads IAM's credential report and skips
 * the users it shows as surely not due ({@link CredentialReportPrefilter}); the keys of every other user are listed
 * and decide. Without a usable report, every tagged user's keys are listed, and the summary says why.
 */
public final class Rotator {

    /** Whether a run changes anything. */
    public enum Mode { APPLY, PLAN }

    /** The run-wide settings. */
    public record Options(RotationPolicy defaults, boolean encryptKeyPair, int maxConcurrency) {
    }

    static final DateTimeFormatter MAIL_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final JsonLog LOG = JsonLog.forClass(Rotator.class);

    private final IdentityDirectory directory;
    private final PendingDeletions pendingDeletions;
    private final SecretStore secretStore;
    private final Mailer mailer;
    private final MessageRenderer renderer;
    private final Options options;
    private final Clock clock;
    private final SecureRandom random;
    private final Fernet fernet;
    private final RotationPlanner planner = new RotationPlanner();
    private final CredentialReportPrefilter prefilter = new CredentialReportPrefilter();

    public Rotator(IdentityDirectory directory, PendingDeletions pendingDeletions, SecretStore secretStore,
            Mailer mailer, MessageRenderer renderer, Options options, Clock clock, SecureRandom random) {
        this.directory = directory;
        this.pendingDeletions = pendingDeletions;
        this.secretStore = secretStore;
        this.mailer = mailer;
        this.renderer = renderer;
        this.options = options;
        this.clock = clock;
        this.random = random;
        this.fernet = new Fernet(clock, random);
    }

    /** How long the run may still take (Lambda's remaining time); unlimited outside Lambda. */
    public interface TimeLeft {
        TimeLeft UNLIMITED = () -> Duration.ofDays(1);

        Duration remaining();
    }

    /**
     * No new user is started when less than this is left of the Lambda's time: more than one AWS call
     * may take under throttling (60 s, retries included), so the users in hand can finish.
     */
    public static final Duration SAFETY_MARGIN = Duration.ofSeconds(70);

    /** Handles every tagged user, without a time limit. */
    public RunSummary run(String accountId, Mode mode) {
        return run(accountId, mode, TimeLeft.UNLIMITED);
    }

    /**
     * Handles every tagged user. A failure for one user is reported in its outcome and the others go on.
     * When {@code timeLeft} drops under {@link #SAFETY_MARGIN}, the users not yet started are reported as
     * deferred: the next run handles them.
     *
     * @param accountId the account the mails name
     */
    public RunSummary run(String accountId, Mode mode, TimeLeft timeLeft) {
        Instant now = clock.instant();
        Map<String, List<RotationRecord>> recordsByUser = pendingDeletions.all().stream()
                .collect(Collectors.groupingBy(RotationRecord::user));
        var account = new MailAccount(accountId, directory);
        List<IamUser> enrolled = new ArrayList<>();
        directory.forEachUser(user -> {
            if (user.isEnrolled()) {
                enrolled.add(user);
            }
        });
        Optional<CredentialReport> report = enrolled.isEmpty() ? Optional.empty() : Optional.of(credentialReport());
        Optional<KeyReport> keyReport = report.flatMap(found -> found instanceof CredentialReport.Ready ready
                ? Optional.of(ready.keys()) : Optional.empty());
        List<UserOutcome> outcomes = Parallel.map(enrolled, options.maxConcurrency(), user ->
                timeLeft.remaining().compareTo(SAFETY_MARGIN) < 0
                        ? deferred(user)
                        : handle(user, recordsByUser.getOrDefault(user.name(), List.of()), keyReport, account, mode,
                                now));
        String reportUse = report.map(found -> switch (found) {
            case CredentialReport.Ready ready -> "used";
            case CredentialReport.Unavailable unavailable -> "unavailable: " + unavailable.reason();
        }).orElse("not asked for: no user is tagged");
        return new RunSummary(mode.name().toLowerCase(java.util.Locale.ROOT), now, outcomes, reportUse);
    }

    /** The report, or why there is none; an optimisation only, so even an unexpected failure just turns it off. */
    private CredentialReport credentialReport() {
        CredentialReport report;
        try {
            report = directory.credentialReport();
        } catch (RuntimeException e) {
            report = new CredentialReport.Unavailable(describe(e));
        }
        switch (report) {
            case CredentialReport.Ready ready -> LOG.info("credential report used: keys are listed only where it"
                    + " cannot rule out a change", Map.of("generatedAt", ready.keys().generatedAt().toString(),
                    "rows", ready.keys().users().size()));
            case CredentialReport.Unavailable unavailable -> LOG.warn("credential report unavailable: the keys of"
                    + " every tagged user are listed", Map.of("reason", unavailable.reason()));
        }
        return report;
    }

    private static UserOutcome deferred(IamUser user) {
        UserOutcome outcome = UserOutcome.of(user.name(), Action.DEFERRED,
                "the function's time limit is near: the next run handles this user");
        log(outcome);
        return outcome;
    }

    private UserOutcome handle(IamUser user, List<RotationRecord> records, Optional<KeyReport> keyReport,
            MailAccount account, Mode mode, Instant now) {
        UserOutcome outcome;
        try {
            outcome = decideAndAct(user, records, keyReport, account, mode, now);
        } catch (RuntimeException e) {
            outcome = UserOutcome.of(user.name(), Action.FAILED, describe(e));
        }
        log(outcome);
        return outcome;
    }

    private UserOutcome decideAndAct(IamUser user, List<RotationRecord> records, Optional<KeyReport> keyReport,
            MailAccount account, Mode mode, Instant now) {
        UserSettings settings;
        try {
            settings = UserSettings.fromTags(user);
        } catch (MisconfiguredUserException e) {
            return UserOutcome.of(user.name(), Action.MISCONFIGURED, e.getMessage());
        }
        RotationPolicy policy = options.defaults().forUser(settings);
        if (keyReport.isPresent()) {
            Optional<Skip> unlisted = prefilter.skipWithoutListing(keyReport.get().forUser(user.name()), records,
                    policy, now);
            if (unlisted.isPresent()) {
                return skipped(user.name(), unlisted.get(), "");
            }
        }
        List<AccessKey> keys = directory.accessKeys(user.name());
        Optional<String> repairedKey = Optional.empty();
        String repairNote = "";
        RotationDecision decision = planner.decide(keys, records, policy, now);
        if (decision instanceof Repair repair) {
            if (mode == Mode.PLAN) {
                return new UserOutcome(user.name(), Action.WOULD_REPAIR, repairReason(repair),
                        Optional.of(repair.intent().oldKeyId()), repair.undeliveredKeyId());
            }
            repairedKey = repair(user.name(), repair);
            repairNote = repairReason(repair) + "; then ";
            keys = keys.stream().filter(key -> repair.undeliveredKeyId().map(key.id()::equals).orElse(false) == false)
                    .toList();
            records = records.stream().filter(record -> !record.isIntent()).toList();
            decision = planner.decide(keys, records, policy, now);
        }
        return switch (decision) {
            case Skip skip -> skipped(user.name(), skip, repairNote);
            case Rotate rotate when mode == Mode.PLAN -> new UserOutcome(user.name(), Action.WOULD_ROTATE,
                    repairNote + "key " + rotate.oldKey().id() + " is " + rotate.oldKey().ageInDays(now)
                            + " days old; the limit is " + rotate.policy().rotateAfterDays() + " days",
                    Optional.of(rotate.oldKey().id()), Optional.empty());
            case Rotate rotate -> rotate(user.name(), settings, rotate, repairedKey, account, now, repairNote);
            case Repair repair -> UserOutcome.of(user.name(), Action.FAILED,
                    "a second repair was asked for right after the first: " + repairReason(repair));
        };
    }

    private static UserOutcome skipped(String user, Skip skip, String repairNote) {
        Action action = !repairNote.isEmpty() ? Action.REPAIRED
                : skip.reason().needsAttention() ? Action.NEEDS_ATTENTION : Action.SKIPPED;
        return UserOutcome.of(user, action, repairNote + skip.reason().code() + ": " + skip.detail());
    }

    /** Deletes the key an interrupted run created but did not deliver, then its intent. */
    private Optional<String> repair(String user, Repair repair) {
        repair.undeliveredKeyId().ifPresent(keyId -> directory.deleteAccessKey(user, keyId));
        pendingDeletions.removeIntent(user, repair.intent().oldKeyId());
        return repair.undeliveredKeyId();
    }

    private static String repairReason(Repair repair) {
        return "an interrupted rotation of key " + repair.intent().oldKeyId() + " was cleaned up"
                + repair.undeliveredKeyId().map(id -> " (undelivered key " + id + " deleted)").orElse("");
    }

    private UserOutcome rotate(String user, UserSettings settings, Rotate rotate, Optional<String> replacedKeyId,
            MailAccount account, Instant now, String repairNote) {
        String oldKeyId = rotate.oldKey().id();
        try {
            pendingDeletions.recordIntent(RotationRecord.intent(user, oldKeyId, settings.email(), now));
        } catch (RotationConflictException concurrent) {
            return UserOutcome.of(user, Action.SKIPPED, repairNote + SkipReason.ROTATION_IN_PROGRESS.code()
                    + ": another run is already rotating key " + oldKeyId);
        }
        IssuedAccessKey newKey;
        try {
            newKey = directory.createAccessKey(user);
        } catch (RuntimeException e) {
            return new UserOutcome(user, Action.FAILED, repairNote + "could not create a new key (" + describe(e)
                    + ")" + cleanUpAfterFailedCreate(user, rotate.oldKey()), Optional.of(oldKeyId), Optional.empty());
        }
        Instant deleteOn = now.plus(Duration.ofDays(rotate.policy().deleteAfterDays()));
        try {
            pendingDeletions.recordNewKey(user, oldKeyId, newKey.id());
            mailer.send(newKeyMail(user, settings, oldKeyId, newKey, deleteOn, replacedKeyId, account));
        } catch (RuntimeException e) {
            return withdraw(user, oldKeyId, newKey.id(), repairNote + "the new key could not be delivered ("
                    + describe(e) + ")");
        }
        try {
            pendingDeletions.scheduleDeletion(user, oldKeyId, newKey.id(), deleteOn);
        } catch (RuntimeException e) {
            if (scheduledDespite(user, oldKeyId, newKey.id())) {
                return rotated(user, settings, rotate, newKey, now, deleteOn, repairNote);
            }
            return withdraw(user, oldKeyId, newKey.id(), repairNote
                    + "the new key was mailed but the old key could not be scheduled for deletion (" + describe(e)
                    + ")");
        }
        return rotated(user, settings, rotate, newKey, now, deleteOn, repairNote);
    }

    private static UserOutcome rotated(String user, UserSettings settings, Rotate rotate, IssuedAccessKey newKey,
            Instant now, Instant deleteOn, String repairNote) {
        String oldKeyId = rotate.oldKey().id();
        return new UserOutcome(user, Action.ROTATED, repairNote + "key " + oldKeyId + " was "
                + rotate.oldKey().ageInDays(now) + " days old; new key mailed to " + settings.email()
                + "; old key deleted on " + MAIL_DATE.format(deleteOn),
                Optional.of(oldKeyId), Optional.of(newKey.id()));
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

    private dev.ikr.domain.MailMessage newKeyMail(String user, UserSettings settings, String oldKeyId,
            IssuedAccessKey newKey, Instant deleteOn, Optional<String> replacedKeyId, MailAccount account) {
        Map<String, Object> values = new HashMap<>();
        account.addTo(values);
        values.put("user", user);
        values.put("newKeyId", newKey.id());
        values.put("oldKeyId", oldKeyId);
        values.put("deleteOn", MAIL_DATE.format(deleteOn));
        values.put("instructions", settings.instructions());
        replacedKeyId.ifPresent(id -> values.put("replacedKeyId", id));
        if (options.encryptKeyPair()) {
            EncryptionKey key = EncryptionKey.generate(random);
            secretStore.putUserKey(user, key);
            String encryptedAccessKey = fernet.encrypt(key, newKey.id());
            String encryptedSecretKey = fernet.encrypt(key, newKey.secret());
            values.put("encryptedAccessKey", encryptedAccessKey);
            values.put("encryptedSecretKey", encryptedSecretKey);
            values.put("secretParameter", SecretParameterName.forUser(user));
            values.put("decryptCommand", "scripts/ikr decrypt --user " + user + " --access-key " + encryptedAccessKey
                    + " --secret-key " + encryptedSecretKey);
        } else {
            values.put("secretAccessKey", newKey.secret());
        }
        return renderer.render("new-key", List.of(settings.email()), values);
    }

    private static void log(UserOutcome outcome) {
        JsonLog.Level level = switch (outcome.action()) {
            case FAILED, MISCONFIGURED -> JsonLog.Level.ERROR;
            case NEEDS_ATTENTION, DEFERRED -> JsonLog.Level.WARN;
            default -> JsonLog.Level.INFO;
        };
        var fields = new HashMap<String, Object>(outcome.toMap());
        outcome.oldKeyId().ifPresent(id -> fields.put("keyId", id));
        LOG.write(level, "decision", fields);
    }

    /** The exception's class and message: SDK and IKR messages name resources, never secrets. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
