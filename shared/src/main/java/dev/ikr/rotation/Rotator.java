package dev.ikr.rotation;

import static dev.ikr.util.Failures.describe;

import dev.ikr.domain.AllowedEmailDomains;
import dev.ikr.domain.CredentialReport;
import dev.ikr.domain.DeliveryBounds;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.IamUser;
import dev.ikr.domain.KeyReport;
import dev.ikr.domain.LastDelivery;
import dev.ikr.domain.RotationPolicy;
import dev.ikr.domain.RotationRecord;
import dev.ikr.domain.UnverifiedRecord;
import dev.ikr.log.JsonLog;
import dev.ikr.message.MessageRenderer;
import dev.ikr.port.IdentityDirectory;
import dev.ikr.port.KeyTargets;
import dev.ikr.port.Mailer;
import dev.ikr.port.PendingDeletions;
import dev.ikr.port.SecretStore;
import dev.ikr.util.Parallel;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The rotation use case's run: finds the tagged users and hands each to its {@link UserRotation}, a bounded
 * number at a time; a failure for one user is reported in its outcome and the others go on.
 *
 * <p>To spare one {@code ListAccessKeys} call per tagged user, a run first reads IAM's credential report and skips
 * the users it shows as surely not due ({@link CredentialReportPrefilter}); the keys of every other user are listed
 * and decide. Without a usable report, every tagged user's keys are listed, and the summary says why.
 */
public final class Rotator {

    /** Whether a run changes anything. */
    public enum Mode { APPLY, PLAN }

    /**
     * The run-wide settings.
     *
     * @param deliveryBounds the {@code IKR:DELIVER_TO} targets this rotator may write to
     */
    public record Options(RotationPolicy defaults, boolean encryptKeyPair, int maxConcurrency,
            AllowedEmailDomains allowedEmailDomains, Optional<EmailAddress> adminEmail, DeliveryBounds deliveryBounds) {

        /** Keys are mailed only. */
        public Options(RotationPolicy defaults, boolean encryptKeyPair, int maxConcurrency,
                AllowedEmailDomains allowedEmailDomains, Optional<EmailAddress> adminEmail) {
            this(defaults, encryptKeyPair, maxConcurrency, allowedEmailDomains, adminEmail, DeliveryBounds.NONE);
        }

        /** Mail to any domain; no administrator; keys are mailed only. */
        public Options(RotationPolicy defaults, boolean encryptKeyPair, int maxConcurrency) {
            this(defaults, encryptKeyPair, maxConcurrency, AllowedEmailDomains.any(), Optional.empty());
        }
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

    private static final JsonLog LOG = JsonLog.forClass(Rotator.class);

    private final IdentityDirectory directory;
    private final PendingDeletions pendingDeletions;
    private final UserRotation userRotation;
    private final AdminMails adminMails;
    private final int maxConcurrency;
    private final Clock clock;
    /** The KMS keys' part of the run ({@code ROTATE_KMS_KEYS}), after the users'. */
    private final Optional<KmsKeyRotation> kmsKeys;

    /** A rotator that mails every key (no delivery target). */
    public Rotator(IdentityDirectory directory, PendingDeletions pendingDeletions, SecretStore secretStore,
            Mailer mailer, MessageRenderer renderer, Options options, Clock clock, SecureRandom random) {
        this(directory, pendingDeletions, secretStore, KeyTargets.NONE, mailer, renderer, options, clock, random);
    }

    /** A rotator that also delivers keys to the targets {@code options} bounds ({@code IKR:DELIVER_TO}). */
    public Rotator(IdentityDirectory directory, PendingDeletions pendingDeletions, SecretStore secretStore,
            KeyTargets targets, Mailer mailer, MessageRenderer renderer, Options options, Clock clock,
            SecureRandom random) {
        this.directory = directory;
        this.pendingDeletions = pendingDeletions;
        this.userRotation = new UserRotation(directory, pendingDeletions,
                new KeyDelivery(secretStore, targets, mailer, renderer, options.encryptKeyPair(), clock, random),
                options.defaults(), options.allowedEmailDomains(), options.deliveryBounds());
        this.adminMails = new AdminMails(Rotator.class, mailer, renderer, options.adminEmail());
        this.maxConcurrency = options.maxConcurrency();
        this.clock = clock;
        this.kmsKeys = Optional.empty();
    }

    private Rotator(Rotator users, KmsKeyRotation kmsKeys) {
        this.directory = users.directory;
        this.pendingDeletions = users.pendingDeletions;
        this.userRotation = users.userRotation;
        this.adminMails = users.adminMails;
        this.maxConcurrency = users.maxConcurrency;
        this.clock = users.clock;
        this.kmsKeys = Optional.of(kmsKeys);
    }

    /** This rotator, handling the KMS keys too, after the users: a failure on either side never stops the other. */
    public Rotator withKmsKeys(KmsKeyRotation rotation) {
        return new Rotator(this, rotation);
    }

    /** Handles every tagged user, without a time limit. */
    public RunSummary run(String accountId, Mode mode) {
        return run(accountId, mode, TimeLeft.UNLIMITED);
    }

    /**
     * Handles every tagged user. When {@code timeLeft} drops under {@link #SAFETY_MARGIN}, the users not yet
     * started are reported as deferred: the next run handles them.
     *
     * @param accountId the account the mails name
     */
    public RunSummary run(String accountId, Mode mode, TimeLeft timeLeft) {
        Instant now = clock.instant();
        if (kmsKeys.isEmpty()) {
            return runUsers(accountId, mode, timeLeft, now);
        }
        RunSummary users;
        try {
            users = runUsers(accountId, mode, timeLeft, now);
        } catch (RuntimeException usersFailed) {
            kmsKeys.get().run(new AccountForMails(accountId, directory), mode, timeLeft, now);
            throw usersFailed;
        }
        return users.withKmsKeys(kmsKeys.get().run(new AccountForMails(accountId, directory), mode, timeLeft, now));
    }

    private RunSummary runUsers(String accountId, Mode mode, TimeLeft timeLeft, Instant now) {
        PendingDeletions.Contents table = pendingDeletions.all();
        Map<String, List<RotationRecord>> recordsByUser = table.verified().stream()
                .collect(Collectors.groupingBy(RotationRecord::user));
        Map<String, List<UnverifiedRecord>> unverifiedByUser = table.unverified().stream()
                .collect(Collectors.groupingBy(UnverifiedRecord::user));
        Map<String, LastDelivery> deliveries = table.deliveries().stream()
                .collect(Collectors.toMap(LastDelivery::user, delivery -> delivery, (first, second) -> first));
        var account = new AccountForMails(accountId, directory);
        List<IamUser> enrolled = new ArrayList<>();
        List<UserOutcome> refused = new ArrayList<>();
        directory.forEachUser(user -> {
            if (unverifiedByUser.containsKey(user.name())) {
                // an item IKR did not write names this user: nothing is done for it until a person has looked
                refused.add(logged(unverified(user.name(), unverifiedByUser.get(user.name()))));
            } else if (user.isEnrolled() || user.hasLookAlikeTags()) {
                // a user with a look-alike of an IKR tag is reported misconfigured, never rotated
                enrolled.add(user);
            }
        });
        unverifiedByUser.forEach((user, records) -> {
            if (refused.stream().noneMatch(outcome -> outcome.user().equals(user))) {
                refused.add(logged(unverified(user, records)));
            }
        });
        if (mode == Mode.APPLY) {
            adminMails.reportUnverified("The rotator", table.unverified(), account);
        }
        Optional<CredentialReport> report = enrolled.isEmpty() ? Optional.empty() : Optional.of(credentialReport());
        Optional<KeyReport> keyReport = report.flatMap(found -> found instanceof CredentialReport.Ready ready
                ? Optional.of(ready.keys()) : Optional.empty());
        List<UserOutcome> outcomes = Parallel.map(enrolled, maxConcurrency, user ->
                timeLeft.remaining().compareTo(SAFETY_MARGIN) < 0
                        ? logged(UserOutcome.of(user.name(), Action.DEFERRED,
                                "the function's time limit is near: the next run handles this user"))
                        : handle(user, recordsByUser.getOrDefault(user.name(), List.of()),
                                Optional.ofNullable(deliveries.get(user.name())), keyReport, account, mode, now));
        String reportUse = report.map(found -> switch (found) {
            case CredentialReport.Ready ready -> "used";
            case CredentialReport.Unavailable unavailable -> "unavailable: " + unavailable.reason();
        }).orElse("not asked for: no user is tagged");
        var all = new ArrayList<>(refused);
        all.addAll(outcomes);
        return new RunSummary(mode.name().toLowerCase(Locale.ROOT), now, all, reportUse);
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

    private UserOutcome handle(IamUser user, List<RotationRecord> records, Optional<LastDelivery> lastDelivery,
            Optional<KeyReport> keyReport, AccountForMails account, Mode mode, Instant now) {
        UserOutcome outcome;
        try {
            outcome = userRotation.handle(user, records, lastDelivery, keyReport, account, mode, now);
        } catch (RuntimeException e) {
            outcome = UserOutcome.of(user.name(), Action.FAILED, describe(e));
        }
        return logged(outcome);
    }

    /** The outcome of a user an unverified item names (tagged or not, existing or not). */
    private static UserOutcome unverified(String user, List<UnverifiedRecord> records) {
        UnverifiedRecord first = records.getFirst();
        return new UserOutcome(user, Action.UNVERIFIED_RECORD, "the table item of key " + first.oldKeyId()
                + " was not written by IKR: " + first.reason() + (records.size() > 1 ? " (and "
                + (records.size() - 1) + " more)" : "") + "; nothing is done for this user until a person deletes"
                + " it, or adopts it with scripts/ikr adopt", Optional.of(first.oldKeyId()), Optional.empty());
    }

    /** One log line per user: the decision and its reason, ids only. */
    private static UserOutcome logged(UserOutcome outcome) {
        JsonLog.Level level = switch (outcome.action()) {
            case FAILED, MISCONFIGURED, UNVERIFIED_RECORD -> JsonLog.Level.ERROR;
            case NEEDS_ATTENTION, DEFERRED -> JsonLog.Level.WARN;
            default -> JsonLog.Level.INFO;
        };
        var fields = new HashMap<String, Object>(outcome.toMap());
        outcome.oldKeyId().ifPresent(id -> fields.put("keyId", id));
        LOG.write(level, "decision", fields);
        return outcome;
    }
}
