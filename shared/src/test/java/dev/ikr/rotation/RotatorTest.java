package dev.ikr.rotation;

import static dev.ikr.testing.InMemoryAccount.mailOf;
import static dev.ikr.testing.InMemoryAccount.oldKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ikr.crypto.Fernet;
import dev.ikr.domain.AllowedEmailDomains;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.EncryptionKey;
import dev.ikr.domain.KeyStatus;
import dev.ikr.domain.LastDelivery;
import dev.ikr.domain.MailMessage;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationPolicy;
import dev.ikr.domain.RotationRecord;
import dev.ikr.message.MessageRenderer;
import dev.ikr.rotation.Rotator.Mode;
import dev.ikr.testbed.LogCapture;
import dev.ikr.testing.InMemoryAccount;
import dev.ikr.testing.InMemoryAccountTest;
import dev.ikr.testing.InMemoryIdentityDirectory.Operation;
import dev.ikr.testing.InMemoryIdentityDirectory;
import dev.ikr.testing.InMemoryPendingDeletions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class RotatorTest extends InMemoryAccountTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String ACCOUNT = InMemoryAccount.ACCOUNT_ID;
    private static final RotationPolicy DEFAULTS = new RotationPolicy(85, 5);
    private static final String ALICE = "alice";
    private static final String ALICE_MAIL = "alice@example.com";
    private static final String OLD = oldKey(ALICE);

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    RotatorTest() {
        super(NOW);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** An enrolled user with one active key of the given age. */
    private void enrol(String user, long keyAgeInDays) {
        account.enrol(user, keyAgeInDays);
    }

    private void enrol(String user, Map<String, String> tags, long keyAgeInDays) {
        account.enrol(user, tags, keyAgeInDays);
    }

    private Rotator rotator(boolean encrypt) {
        return new Rotator(directory, table, secretStore, mailer, new MessageRenderer(),
                new Rotator.Options(DEFAULTS, encrypt, 4), clock, new SecureRandom());
    }

    private RunSummary apply() {
        return rotator(true).run(ACCOUNT, Mode.APPLY);
    }

    private static UserOutcome outcome(RunSummary summary, String user) {
        return summary.users().stream().filter(outcome -> outcome.user().equals(user)).findFirst().orElseThrow(
                () -> new AssertionError("no outcome for " + user + " in " + summary.users()));
    }

    private static String newKeyOf(UserOutcome outcome) {
        return outcome.newKeyId().orElseThrow(() -> new AssertionError("no new key in " + outcome));
    }

    private static String group(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("%s in the mail", regex).isTrue();
        return matcher.group(1);
    }

    // ---- happy path ---------------------------------------------------------------------------

    @Test
    void rotatesKey_whenOlderThanRotateAfterDays_inTheOrderThatNeverLosesAKey() {
        enrol(ALICE, 90);

        RunSummary summary = apply();

        UserOutcome outcome = outcome(summary, ALICE);
        assertThat(outcome.action()).isEqualTo(Action.ROTATED);
        assertThat(outcome.oldKeyId()).contains(OLD);
        String newKey = newKeyOf(outcome);
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD, newKey);
        assertThat(journal).containsExactly(
                "recordIntent alice",
                "createAccessKey alice",
                "recordNewKey alice",
                "putUserKey alice",
                "send alice@example.com",
                "scheduleDeletion alice");
        assertThat(summary.counts()).containsExactly(Map.entry(Action.ROTATED, 1));
        assertThat(summary.anyFailed()).isFalse();
    }

    @Test
    void clearsThePendingDeletionOfAKeyAlreadyDeletedByHand_beforeRotatingAgain() {
        enrol(ALICE, 90);
        String goneKey = "AKIAGONEALICE0000000";
        RotationRecord stale = RotationRecord.intent(ALICE, goneKey, EmailAddress.of(ALICE_MAIL),
                NOW.minus(Duration.ofDays(90))).scheduled(OLD, NOW.plus(Duration.ofDays(2)));
        table.put(stale);

        UserOutcome outcome = outcome(apply(), ALICE);

        assertThat(outcome.action()).isEqualTo(Action.ROTATED);
        assertThat(outcome.reason()).startsWith("the pending deletion of key " + goneKey
                + ", already deleted by hand, was cleared; then key " + OLD);
        assertThat(table.find(ALICE, goneKey)).as("its expiry would delete this rotation's decryption key").isEmpty();
        assertThat(journal.getFirst()).isEqualTo("clearStale alice " + goneKey);
        assertThat(table.find(ALICE, OLD).orElseThrow().state()).isEqualTo(RecordState.PENDING_DELETION);
    }

    @Test
    void schedulesTheOldKeyForDeletion_deleteAfterDaysAfterTheRun() {
        enrol(ALICE, 90);

        String newKey = newKeyOf(outcome(apply(), ALICE));

        RotationRecord record = table.find(ALICE, OLD).orElseThrow();
        assertThat(record.state()).isEqualTo(RecordState.PENDING_DELETION);
        assertThat(record.newKeyId()).contains(newKey);
        assertThat(record.deleteOn()).contains(NOW.plus(Duration.ofDays(5)));
        assertThat(record.email()).isEqualTo(ALICE_MAIL);
        assertThat(record.startedAt()).isEqualTo(NOW);
        assertThat(table.records()).hasSize(1);
    }

    @Test
    void mailsTheEncryptedKeyToTheOwner_withTheKeyIdButNotTheSecret() {
        enrol(ALICE, 90);

        String newKey = newKeyOf(outcome(apply(), ALICE));

        assertThat(mailer.sent()).hasSize(1);
        MailMessage mail = mailer.sent().getFirst();
        assertThat(mail.to()).containsExactly(EmailAddress.of(ALICE_MAIL));
        assertThat(mail.subject()).contains(ALICE, ACCOUNT);
        String secret = directory.secretOf(0);
        for (String part : List.of(mail.text(), mail.html())) {
            assertThat(part).contains(newKey, OLD, "2026-03-06 12:00 UTC", "/ikr/secret/iam/alice")
                    .doesNotContain(secret);
        }
        EncryptionKey stored = secretStore.stored().get(ALICE);
        assertThat(stored).as("the decryption key in SSM").isNotNull();
        var fernet = new Fernet(clock, new SecureRandom());
        assertThat(fernet.decrypt(stored, group(mail.text(), "--secret-key (\\S+)"))).isEqualTo(secret);
        assertThat(fernet.decrypt(stored, group(mail.text(), "--access-key (\\S+)"))).isEqualTo(newKey);
    }

    @Test
    void mailsThePlainSecret_whenNotEncrypting_andStoresNoDecryptionKey() {
        enrol(ALICE, 90);

        RunSummary summary = rotator(false).run(ACCOUNT, Mode.APPLY);

        String newKey = newKeyOf(outcome(summary, ALICE));
        MailMessage mail = mailer.sentTo(ALICE_MAIL).getFirst();
        assertThat(mail.text()).contains("aws_access_key_id = " + newKey,
                "aws_secret_access_key = " + directory.secretOf(0));
        assertThat(secretStore.stored()).isEmpty();
        assertThat(journal).doesNotContain("putUserKey alice");
        assertThat(table.find(ALICE, OLD).orElseThrow().state()).isEqualTo(RecordState.PENDING_DELETION);
    }

    @Test
    void includesTheUsersInstructionsAndTheAccountAliasInTheMail() {
        enrol(ALICE, Map.of("IKR:EMAIL", ALICE_MAIL, "IKR:INSTRUCTION_1", "Restart the exporter",
                "IKR:INSTRUCTION_0", "Update the CI secret"), 90);
        directory.alias("acme-prod");

        apply();

        MailMessage mail = mailer.sentTo(ALICE_MAIL).getFirst();
        assertThat(mail.subject()).contains("acme-prod", ACCOUNT);
        assertThat(mail.text()).containsSubsequence("- Update the CI secret", "- Restart the exporter");
    }

    @Test
    void usesTheUsersOwnDays_whenTagged() {
        enrol(ALICE, Map.of("IKR:EMAIL", ALICE_MAIL, "IKR:ROTATE_AFTER_DAYS", "30", "IKR:DELETE_AFTER_DAYS", "10"), 40);
        enrol("bob", 40);

        RunSummary summary = apply();

        assertThat(outcome(summary, ALICE).action()).isEqualTo(Action.ROTATED);
        assertThat(table.find(ALICE, OLD).orElseThrow().deleteOn()).contains(NOW.plus(Duration.ofDays(10)));
        assertThat(outcome(summary, "bob").action()).isEqualTo(Action.SKIPPED);
        assertThat(outcome(summary, "bob").reason()).startsWith("not_due");
        assertThat(directory.keyIds("bob")).containsExactly(oldKey("bob"));
    }

    @Test
    void schedulesTheDeactivationFirst_andCarriesTheDeletionDate_whenTheUserTagsTwoStages() {
        enrol(ALICE, Map.of("IKR:EMAIL", ALICE_MAIL, "IKR:DEACTIVATE_AFTER_DAYS", "2", "IKR:DELETE_AFTER_DAYS", "7"), 90);

        RunSummary summary = apply();

        assertThat(outcome(summary, ALICE).action()).isEqualTo(Action.ROTATED);
        RotationRecord scheduled = table.find(ALICE, OLD).orElseThrow();
        assertThat(scheduled.deleteOn()).contains(NOW.plus(Duration.ofDays(2)));
        assertThat(scheduled.finalDeleteOn()).contains(NOW.plus(Duration.ofDays(7)));
        assertThat(mailer.sentTo(ALICE_MAIL).getFirst().text()).contains("deactivated on", "deleted on");
    }

    @Test
    void isMisconfigured_whenTheDeactivationTagIsNotBeforeTheDeletion() {
        enrol(ALICE, Map.of("IKR:EMAIL", ALICE_MAIL, "IKR:DEACTIVATE_AFTER_DAYS", "5"), 90);

        RunSummary summary = apply();

        assertThat(outcome(summary, ALICE).action()).isEqualTo(Action.MISCONFIGURED);
        assertThat(outcome(summary, ALICE).reason()).contains("IKR:DEACTIVATE_AFTER_DAYS (5)",
                "IKR:DELETE_AFTER_DAYS (5, from DELETE_AFTER_DAYS)");
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD);
    }

    @Test
    void leavesYoungKeysAlone() {
        enrol(ALICE, 84);

        RunSummary summary = apply();

        assertThat(outcome(summary, ALICE).action()).isEqualTo(Action.SKIPPED);
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD);
        assertThat(journal).isEmpty();
        assertThat(mailer.sent()).isEmpty();
    }

    @Test
    void deletesNothing_andAsksForAPerson_whenTheUserHasTwoKeysIkrDidNotCreate() {
        enrol(ALICE, 200);
        directory.key(ALICE, "AKIAHANDMADE00000001", KeyStatus.ACTIVE, NOW.minus(Duration.ofDays(100)));

        UserOutcome outcome = outcome(apply(), ALICE);

        assertThat(outcome.action()).isEqualTo(Action.NEEDS_ATTENTION);
        assertThat(outcome.reason()).startsWith("unknown_second_key");
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD, "AKIAHANDMADE00000001");
        assertThat(journal).isEmpty();
    }

    // ---- failures after the key exists --------------------------------------------------------

    enum Step { RECORD_NEW_KEY, PUT_USER_KEY, SEND_MAIL, SCHEDULE_DELETION }

    private void breakStep(Step step) {
        switch (step) {
            case RECORD_NEW_KEY -> table.fail(InMemoryPendingDeletions.Operation.RECORD_NEW_KEY);
            case PUT_USER_KEY -> secretStore.fail();
            case SEND_MAIL -> mailer.fail();
            case SCHEDULE_DELETION -> table.fail(InMemoryPendingDeletions.Operation.SCHEDULE_DELETION);
        }
    }

    @ParameterizedTest
    @EnumSource(Step.class)
    void withdrawsTheNewKey_whenAStepAfterItsCreationFails(Step step) {
        enrol(ALICE, 90);
        breakStep(step);

        RunSummary summary = apply();

        UserOutcome outcome = outcome(summary, ALICE);
        assertThat(outcome.action()).isEqualTo(Action.FAILED);
        assertThat(outcome.reason()).contains("the new key was deleted");
        assertThat(outcome.newKeyId()).as("the withdrawn key is reported").isPresent();
        assertThat(directory.keyIds(ALICE)).as("the user keeps exactly the old key").containsExactly(OLD);
        assertThat(journal).contains("deleteAccessKey alice " + newKeyOf(outcome), "removeIntent alice");
        assertThat(table.records()).as("no intent and no pending deletion").isEmpty();
        assertThat(summary.anyFailed()).isTrue();
        if (step != Step.SCHEDULE_DELETION) {
            assertThat(mailer.sent()).as("no mail with a key that no longer works").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Step.class)
    void rotatesOnTheNextRun_afterAWithdrawnAttempt(Step step) {
        enrol(ALICE, 90);
        breakStep(step);
        apply();
        table.heal();
        secretStore.heal();
        mailer.heal();

        UserOutcome outcome = outcome(apply(), ALICE);

        assertThat(outcome.action()).isEqualTo(Action.ROTATED);
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD, newKeyOf(outcome));
        assertThat(table.find(ALICE, OLD).orElseThrow().state()).isEqualTo(RecordState.PENDING_DELETION);
    }

    @Test
    void keepsTheOldKeyAndRemovesTheIntent_whenIamCannotCreateAKey() {
        enrol(ALICE, 90);
        directory.fail(Operation.CREATE_ACCESS_KEY);

        UserOutcome outcome = outcome(apply(), ALICE);

        assertThat(outcome.action()).isEqualTo(Action.FAILED);
        assertThat(outcome.reason()).contains("could not create a new key");
        assertThat(outcome.newKeyId()).isEmpty();
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD);
        assertThat(table.records()).isEmpty();
        assertThat(mailer.sent()).isEmpty();
    }

    @Test
    void createsNoKey_whenTheIntentCannotBeWritten() {
        enrol(ALICE, 90);
        table.fail(InMemoryPendingDeletions.Operation.RECORD_INTENT);

        UserOutcome outcome = outcome(apply(), ALICE);

        assertThat(outcome.action()).isEqualTo(Action.FAILED);
        assertThat(directory.keysCreated()).isZero();
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD);
        assertThat(mailer.sent()).isEmpty();
    }

    // ---- interrupted runs ---------------------------------------------------------------------

    @Test
    void leavesTheIntentWithTheNewKeyId_whenWithdrawingFails_andTheNextRunRepairsAndRotates() {
        enrol(ALICE, 90);
        mailer.fail();
        directory.fail(Operation.DELETE_ACCESS_KEY);

        UserOutcome first = outcome(apply(), ALICE);

        String undelivered = newKeyOf(first);
        assertThat(first.action()).isEqualTo(Action.FAILED);
        assertThat(first.reason()).contains("withdrawing the new key failed too");
        RotationRecord intent = table.find(ALICE, OLD).orElseThrow();
        assertThat(intent.state()).isEqualTo(RecordState.ROTATING);
        assertThat(intent.newKeyId()).contains(undelivered);
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD, undelivered);

        mailer.heal();
        directory.heal();
        UserOutcome second = outcome(apply(), ALICE);

        assertThat(second.action()).isEqualTo(Action.ROTATED);
        assertThat(second.reason()).contains("cleaned up", undelivered);
        String delivered = newKeyOf(second);
        assertThat(delivered).isNotEqualTo(undelivered);
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD, delivered);
        RotationRecord record = table.find(ALICE, OLD).orElseThrow();
        assertThat(record.state()).isEqualTo(RecordState.PENDING_DELETION);
        assertThat(record.newKeyId()).contains(delivered);
        MailMessage mail = mailer.sentTo(ALICE_MAIL).getFirst();
        assertThat(mailer.sent()).hasSize(1);
        assertThat(mail.text()).contains("replaces an earlier one with the access key " + undelivered, delivered);
    }

    @Test
    void keepsAKeyTheIntentDoesNotName_andAsksForAPerson_whenTheInterruptedRunDidNotRecordItsNewKey() {
        enrol(ALICE, 90);
        table.fail(InMemoryPendingDeletions.Operation.RECORD_NEW_KEY);
        directory.fail(Operation.DELETE_ACCESS_KEY);

        String undelivered = newKeyOf(outcome(apply(), ALICE));
        assertThat(table.find(ALICE, OLD).orElseThrow().newKeyId()).isEmpty();

        table.heal();
        directory.heal();
        UserOutcome second = outcome(apply(), ALICE);

        assertThat(second.action()).isEqualTo(Action.NEEDS_ATTENTION);
        assertThat(second.reason()).contains(undelivered, "not deleted");
        assertThat(directory.keyIds(ALICE)).as("the table alone never chooses a key to delete")
                .containsExactly(OLD, undelivered);
        assertThat(mailer.sent()).isEmpty();
    }

    @Test
    void repairsWithoutDeletingAnything_whenTheInterruptedRunCreatedNoKey() {
        enrol(ALICE, 90);
        table.put(RotationRecord.intent(ALICE, OLD, EmailAddress.of(ALICE_MAIL), NOW.minus(Duration.ofHours(1))));

        UserOutcome outcome = outcome(apply(), ALICE);

        assertThat(outcome.action()).isEqualTo(Action.ROTATED);
        assertThat(journal).noneMatch(entry -> entry.startsWith("deleteAccessKey"));
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD, newKeyOf(outcome));
        assertThat(mailer.sentTo(ALICE_MAIL).getFirst().text()).doesNotContain("replaces an earlier one");
    }

    @Test
    void repairsAndStops_whenTheOldKeyIsNoLongerDueAfterTheRepair() {
        enrol(ALICE, Map.of("IKR:EMAIL", ALICE_MAIL, "IKR:ROTATE_AFTER_DAYS", "365"), 90);
        directory.key(ALICE, "AKIAUNDELIVERED00001", KeyStatus.ACTIVE, NOW.minus(Duration.ofHours(2)));
        table.put(new RotationRecord(ALICE, OLD, ALICE_MAIL, RecordState.ROTATING, Optional.of("AKIAUNDELIVERED00001"),
                Optional.empty(), NOW.minus(Duration.ofHours(2)), 0, Optional.empty()));

        UserOutcome outcome = outcome(apply(), ALICE);

        assertThat(outcome.action()).isEqualTo(Action.REPAIRED);
        assertThat(outcome.reason()).contains("AKIAUNDELIVERED00001", "not_due");
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD);
        assertThat(table.records()).isEmpty();
        assertThat(mailer.sent()).isEmpty();
    }

    @Test
    void keepsASecondKeyOlderThanTheIntent_becauseIkrDidNotCreateIt() {
        Instant startedAt = NOW.minus(Duration.ofHours(1));
        enrol(ALICE, 90);
        directory.key(ALICE, "AKIAHANDMADE00000001", KeyStatus.ACTIVE, startedAt.minus(Duration.ofDays(3)));
        table.put(RotationRecord.intent(ALICE, OLD, EmailAddress.of(ALICE_MAIL), startedAt));

        UserOutcome outcome = outcome(apply(), ALICE);

        assertThat(outcome.action()).isEqualTo(Action.NEEDS_ATTENTION);
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD, "AKIAHANDMADE00000001");
        assertThat(table.find(ALICE, OLD)).as("the intent stays for a person to look at").isPresent();
        assertThat(journal).isEmpty();
    }

    @Test
    void skipsWithoutCreatingAKey_whenAnotherRunRecordedItsIntentFirst() {
        enrol(ALICE, 90);
        RotationRecord theirs = RotationRecord.intent(ALICE, OLD, EmailAddress.of(ALICE_MAIL), NOW.minusSeconds(1));
        table.anotherRunRecordsFirst(theirs);

        UserOutcome outcome = outcome(apply(), ALICE);

        assertThat(outcome.action()).isEqualTo(Action.SKIPPED);
        assertThat(outcome.reason()).contains("rotation_in_progress");
        assertThat(directory.keysCreated()).isZero();
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD);
        assertThat(table.find(ALICE, OLD)).as("the other run's intent is left alone").contains(theirs);
        assertThat(mailer.sent()).isEmpty();
    }

    @Test
    void ownerEndsWithAWorkingMailedKey_whenSchedulingLandedButReportedAFailure() {
        enrol(ALICE, 90);
        table.failAfterWriting(InMemoryPendingDeletions.Operation.SCHEDULE_DELETION);
        apply();
        table.heal();

        UserOutcome next = outcome(apply(), ALICE);

        List<MailMessage> mails = mailer.sentTo(ALICE_MAIL);
        assertThat(mails).isNotEmpty();
        String lastMailedKey = group(mails.getLast().text(), "New access key ID: (\\S+)");
        assertThat(directory.keyIds(ALICE))
                .as("the key in the last mail still works (next run: %s)", next)
                .contains(lastMailedKey);
    }

    // ---- who is looked at ---------------------------------------------------------------------

    @Test
    void reportsMisconfiguredUsers_withoutListingTheirKeys() {
        enrol(ALICE, Map.of("IKR:EMAIL", "alice-at-example"), 90);
        enrol("bob", Map.of("IKR:EMAIL", mailOf("bob"), "IKR:ROTATE_AFTER_DAYS", "soon"), 90);

        RunSummary summary = apply();

        assertThat(outcome(summary, ALICE).action()).isEqualTo(Action.MISCONFIGURED);
        assertThat(outcome(summary, ALICE).reason()).contains("IKR:EMAIL");
        assertThat(outcome(summary, "bob").action()).isEqualTo(Action.MISCONFIGURED);
        assertThat(outcome(summary, "bob").reason()).contains("IKR:ROTATE_AFTER_DAYS");
        assertThat(directory.listedUsers()).isEmpty();
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD);
        assertThat(journal).isEmpty();
    }

    @Test
    void ignoresUsersWithoutTheEmailTag() {
        enrol(ALICE, 90);
        enrol("robot", Map.of("IKR:ROTATE_AFTER_DAYS", "1", "Team", "platform"), 400);

        RunSummary summary = apply();

        assertThat(summary.users()).extracting(UserOutcome::user).containsExactly(ALICE);
        assertThat(directory.listedUsers()).containsExactly(ALICE);
        assertThat(directory.keyIds("robot")).containsExactly(oldKey("robot"));
    }

    @Test
    void reportsLookAlikeTaggedUsersAsMisconfigured_andCreatesNothingForThem() {
        enrol(ALICE, 90);
        enrol("mallory", Map.of("ıkr:emaıl", "mallory@evil.example"), 400);
        enrol("bob", Map.of("IKR:EMAIL", mailOf("bob"), "IKR:\u0415MAIL", "bob@evil.example"), 400);

        for (Mode mode : Mode.values()) {
            RunSummary summary = rotator(true).run(ACCOUNT, mode);

            UserOutcome mallory = outcome(summary, "mallory");
            assertThat(mallory.action()).as("not enrolled, yet reported").isEqualTo(Action.MISCONFIGURED);
            assertThat(mallory.reason()).startsWith("tag 'ıkr:emaıl' looks like IKR:EMAIL but is not");
            UserOutcome bob = outcome(summary, "bob");
            assertThat(bob.action()).as("enrolled, with a look-alike beside it").isEqualTo(Action.MISCONFIGURED);
            assertThat(bob.reason()).startsWith("tag 'IKR:\u0415MAIL' looks like IKR:EMAIL but is not")
                    .contains("U+0415 CYRILLIC CAPITAL LETTER IE").doesNotContain("evil.example");
            assertThat(summary.counts()).containsEntry(Action.MISCONFIGURED, 2);
        }
        assertThat(directory.listedUsers()).doesNotContain("mallory", "bob");
        assertThat(directory.keyIds("mallory")).containsExactly(oldKey("mallory"));
        assertThat(directory.keyIds("bob")).containsExactly(oldKey("bob"));
        assertThat(journal).noneMatch(change -> change.contains("mallory") || change.contains("bob")
                || change.contains("evil"));
        assertThat(directory.keyIds(ALICE)).hasSize(2);
    }

    @Test
    void reportsAUserWhoseAddressIsOutsideTheAllowedDomainsAsMisconfigured_andRotatesTheOthers() {
        enrol(ALICE, 90);
        enrol("carol", Map.of("IKR:EMAIL", "carol@eu.example.com"), 90);
        enrol("bob", Map.of("IKR:EMAIL", "bob@elsewhere.org"), 90);
        var allowed = AllowedEmailDomains.parse(".example.com", "ALLOWED_EMAIL_DOMAINS");

        RunSummary summary = new Rotator(directory, table, secretStore, mailer, new MessageRenderer(),
                new Rotator.Options(DEFAULTS, true, 4, allowed, Optional.empty()), clock, new SecureRandom()).run(ACCOUNT, Mode.APPLY);

        assertThat(outcome(summary, ALICE).action()).isEqualTo(Action.ROTATED);
        assertThat(outcome(summary, "carol").action()).isEqualTo(Action.ROTATED);
        UserOutcome bob = outcome(summary, "bob");
        assertThat(bob.action()).isEqualTo(Action.MISCONFIGURED);
        assertThat(bob.reason()).isEqualTo("IKR:EMAIL: the address's domain 'elsewhere.org' is not one that"
                + " ALLOWED_EMAIL_DOMAINS allows");
        assertThat(directory.keyIds("bob")).containsExactly(oldKey("bob"));
        assertThat(mailer.sentTo("bob@elsewhere.org")).isEmpty();
        assertThat(journal).noneMatch(change -> change.contains("bob"));
    }

    // ---- plan ---------------------------------------------------------------------------------

    @Test
    void planChangesNothing_andSaysWhatItWouldDo() {
        enrol(ALICE, 90);
        enrol("bob", 90);
        directory.key("bob", "AKIAUNDELIVERED00001", KeyStatus.ACTIVE, NOW.minus(Duration.ofHours(2)));
        RotationRecord bobsIntent = new RotationRecord("bob", oldKey("bob"), mailOf("bob"), RecordState.ROTATING,
                Optional.of("AKIAUNDELIVERED00001"), Optional.empty(), NOW.minus(Duration.ofHours(2)), 0,
                Optional.empty());
        table.put(bobsIntent);
        enrol("carol", 10);

        RunSummary summary = rotator(true).run(ACCOUNT, Mode.PLAN);

        assertThat(summary.mode()).isEqualTo("plan");
        UserOutcome alice = outcome(summary, ALICE);
        assertThat(alice.action()).isEqualTo(Action.WOULD_ROTATE);
        assertThat(alice.oldKeyId()).contains(OLD);
        assertThat(alice.reason()).contains("90 days old", "85 days");
        UserOutcome bob = outcome(summary, "bob");
        assertThat(bob.action()).isEqualTo(Action.WOULD_REPAIR);
        assertThat(bob.newKeyId()).contains("AKIAUNDELIVERED00001");
        assertThat(outcome(summary, "carol").action()).isEqualTo(Action.SKIPPED);

        assertThat(journal).as("no key created or deleted, nothing written, nothing mailed").isEmpty();
        assertThat(directory.keysCreated()).isZero();
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD);
        assertThat(directory.keyIds("bob")).containsExactly(oldKey("bob"), "AKIAUNDELIVERED00001");
        assertThat(table.records()).containsExactly(bobsIntent);
        assertThat(mailer.sent()).isEmpty();
        assertThat(secretStore.stored()).isEmpty();
    }

    // ---- isolation, secrets, cost -------------------------------------------------------------

    @Test
    void oneUserFailing_doesNotStopTheOthers() {
        enrol(ALICE, 90);
        enrol("bob", 90);
        enrol("carol", 90);
        mailer.refuse(mailOf("bob"));

        RunSummary summary = apply();

        assertThat(summary.users()).hasSize(3);
        assertThat(outcome(summary, "bob").action()).isEqualTo(Action.FAILED);
        assertThat(directory.keyIds("bob")).containsExactly(oldKey("bob"));
        assertThat(table.find("bob", oldKey("bob"))).isEmpty();
        for (String user : List.of(ALICE, "carol")) {
            UserOutcome outcome = outcome(summary, user);
            assertThat(outcome.action()).as(user).isEqualTo(Action.ROTATED);
            assertThat(directory.keyIds(user)).as(user).containsExactly(oldKey(user), newKeyOf(outcome));
            assertThat(table.find(user, oldKey(user)).orElseThrow().state()).isEqualTo(RecordState.PENDING_DELETION);
            assertThat(mailer.sentTo(mailOf(user))).as(user).hasSize(1);
        }
        assertThat(summary.counts()).containsEntry(Action.ROTATED, 2).containsEntry(Action.FAILED, 1);
        assertThat(summary.anyFailed()).isTrue();
    }

    @ParameterizedTest(name = "encrypt = {0}")
    @ValueSource(booleans = {true, false})
    void neverPutsTheSecretInTheOutcomeTheResponseTheTableOrTheLogs(boolean encrypt) {
        enrol(ALICE, 90);
        enrol("bob", 90);
        enrol("carol", 90);
        mailer.refuse(mailOf("bob"));
        directory.fail(Operation.DELETE_ACCESS_KEY);

        RunSummary summary = rotator(encrypt).run(ACCOUNT, Mode.APPLY);

        List<String> secrets = directory.issuedSecrets();
        assertThat(secrets).hasSize(3);
        String everythingButTheMail = String.join("\n",
                summary.users().toString(),
                summary.toResponse(Map.of("iam", 7L)).toString(),
                table.records().toString(),
                logs.all());
        for (String secret : secrets) {
            assertThat(everythingButTheMail).doesNotContain(secret);
        }
        assertThat(logs.all()).contains(ALICE, "bob", "carol");
        assertThat(summary.toResponse(Map.of()).toString()).contains(newKeyOf(outcome(summary, ALICE)));
    }

    @Test
    void looksTheAccountAliasUpOnce_forAllTheMailsOfARun() {
        directory.alias("acme-prod");
        for (String user : List.of(ALICE, "bob", "carol", "dave", "erin")) {
            enrol(user, 90);
        }

        RunSummary summary = apply();

        assertThat(summary.counts()).containsExactly(Map.entry(Action.ROTATED, 5));
        assertThat(directory.aliasLookups()).isEqualTo(1);
        assertThat(mailer.sent()).hasSize(5).allSatisfy(mail -> assertThat(mail.subject()).contains("acme-prod"));
    }

    @Test
    void looksNoAliasUp_whenNothingIsMailed() {
        directory.alias("acme-prod");
        enrol(ALICE, 10);
        enrol("bob", 90);

        rotator(true).run(ACCOUNT, Mode.PLAN);
        directory.user("bob", Map.of());
        apply();

        assertThat(mailer.sent()).isEmpty();
        assertThat(directory.aliasLookups()).isZero();
    }

    // ---- items IKR did not write --------------------------------------------------------------

    private Rotator rotatorWithAdmin() {
        return new Rotator(directory, table, secretStore, mailer, new MessageRenderer(),
                new Rotator.Options(DEFAULTS, true, 4, AllowedEmailDomains.any(),
                        Optional.of(EmailAddress.of("secops@example.com"))), clock, new SecureRandom());
    }

    @Test
    void neitherRepairsNorRotates_whenAnUnverifiedIntentNamesTheUser_andTellsTheAdministrator() {
        enrol(ALICE, 90);
        String beforeRun = directory.keyIds(ALICE).toString();
        table.putUnverified(new RotationRecord(ALICE, OLD, "thief@example.net", RecordState.ROTATING,
                Optional.of(OLD), Optional.empty(), NOW.minus(Duration.ofDays(1)), 0, Optional.empty()),
                false, "it carries no MAC");

        RunSummary summary = rotatorWithAdmin().run(ACCOUNT, Mode.APPLY);

        UserOutcome outcome = outcome(summary, ALICE);
        assertThat(outcome.action()).isEqualTo(Action.UNVERIFIED_RECORD);
        assertThat(outcome.reason()).contains("not written by IKR: it carries no MAC", "scripts/ikr adopt");
        assertThat(directory.keyIds(ALICE).toString()).as("the user's only key is kept").isEqualTo(beforeRun);
        assertThat(mailer.sentTo("thief@example.net")).isEmpty();
        assertThat(mailer.sentTo(ALICE_MAIL)).isEmpty();
        assertThat(mailer.sentTo("secops@example.com")).singleElement().satisfies(mail -> {
            assertThat(mail.subject()).contains("table items not written by IKR", ACCOUNT);
            assertThat(mail.text()).contains("user alice, key " + OLD + ": it carries no MAC");
        });
        assertThat(logs.all()).contains("unverified record: not acted on");
    }

    @Test
    void reportsAnUnverifiedItemOfAnUntaggedUser_andStillRotatesTheOthers() {
        enrol(ALICE, 90);
        table.putUnverified(new RotationRecord("mallory-target", "AKIAFORGED0000000001", "thief@example.net",
                RecordState.PENDING_DELETION, Optional.of("AKIAFORGED0000000002"), Optional.of(NOW), NOW, 0,
                Optional.empty()), true, "its MAC does not match its fields");

        RunSummary summary = apply();

        assertThat(outcome(summary, "mallory-target").action()).isEqualTo(Action.UNVERIFIED_RECORD);
        assertThat(outcome(summary, ALICE).action()).isEqualTo(Action.ROTATED);
        assertThat(logs.all()).contains("administrator not told: ADMIN_EMAIL is not set");
    }

    @Test
    void plansUnverifiedItems_withoutMailingAnyone() {
        enrol(ALICE, 90);
        table.putUnverified(new RotationRecord(ALICE, OLD, ALICE_MAIL, RecordState.PENDING_DELETION,
                Optional.of("AKIAOTHER00000000001"), Optional.of(NOW), NOW, 0, Optional.empty()), false, "it carries no MAC");

        RunSummary summary = rotatorWithAdmin().run(ACCOUNT, Mode.PLAN);

        assertThat(outcome(summary, ALICE).action()).isEqualTo(Action.UNVERIFIED_RECORD);
        assertThat(mailer.sent()).isEmpty();
    }

    // ---- a change of address --------------------------------------------------------------------

    @Test
    void tellsThePreviousAddress_whenIkrEmailChangedSinceTheLastDelivery() {
        enrol(ALICE, 90);
        table.recordDelivery(new LastDelivery(ALICE, EmailAddress.of("alice@old.example"), "AKIAEARLIER000000001",
                NOW.minus(Duration.ofDays(90))));

        UserOutcome outcome = outcome(apply(), ALICE);

        assertThat(outcome.action()).isEqualTo(Action.ROTATED);
        assertThat(outcome.reason()).contains("the previous address alice@old.example was told");
        assertThat(mailer.sentTo(ALICE_MAIL)).hasSize(1);
        assertThat(mailer.sentTo("alice@old.example")).singleElement().satisfies(mail -> {
            assertThat(mail.subject()).contains("alice", ACCOUNT, "now go to another address");
            assertThat(mail.text()).contains("New address: " + ALICE_MAIL, newKeyOf(outcome));
            assertThat(mail.text()).doesNotContain(directory.issuedSecrets().getFirst());
        });
    }

    @Test
    void tellsNobodyElse_whenTheAddressIsTheOneLastDeliveredTo() {
        enrol(ALICE, 90);
        table.recordDelivery(new LastDelivery(ALICE, EmailAddress.of(ALICE_MAIL), "AKIAEARLIER000000001",
                NOW.minus(Duration.ofDays(90))));

        apply();

        assertThat(mailer.sent()).singleElement().satisfies(mail ->
                assertThat(mail.to()).containsExactly(EmailAddress.of(ALICE_MAIL)));
    }

    @Test
    void keepsTheRotation_whenTheNoticeToThePreviousAddressFails() {
        enrol(ALICE, 90);
        table.recordDelivery(new LastDelivery(ALICE, EmailAddress.of("alice@old.example"), "AKIAEARLIER000000001",
                NOW.minus(Duration.ofDays(90))));
        mailer.refuse("alice@old.example");

        UserOutcome outcome = outcome(apply(), ALICE);

        assertThat(outcome.action()).isEqualTo(Action.ROTATED);
        assertThat(outcome.reason()).contains("telling the previous address alice@old.example failed");
        assertThat(directory.keyIds(ALICE)).hasSize(2);
        assertThat(logs.all()).contains("previous address not told of the change");
    }
}
