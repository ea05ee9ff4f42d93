package dev.ikr.rotation;

import static dev.ikr.testing.InMemoryAccount.mailOf;
import static dev.ikr.testing.InMemoryAccount.newKey;
import static dev.ikr.testing.InMemoryAccount.oldKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ikr.domain.AccessKey;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.EncryptionKey;
import dev.ikr.domain.IamUser;
import dev.ikr.domain.InUseGuard;
import dev.ikr.domain.InUsePolicy;
import dev.ikr.domain.IssuedAccessKey;
import dev.ikr.domain.KeyUse;
import dev.ikr.domain.KeyStatus;
import dev.ikr.domain.LastDelivery;
import dev.ikr.domain.MailMessage;
import dev.ikr.domain.RecordSeal;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationRecord;
import dev.ikr.domain.StreamChange.Malformed;
import dev.ikr.domain.StreamChange.Other;
import dev.ikr.domain.StreamChange.Removed;
import dev.ikr.domain.StreamChange;
import dev.ikr.message.MessageRenderer;
import dev.ikr.port.IdentityDirectory;
import dev.ikr.rotation.DeletionOutcome.Result;
import dev.ikr.testbed.LogCapture;
import dev.ikr.testing.InMemoryAccount;
import dev.ikr.testing.InMemoryAccountTest;
import dev.ikr.testing.InMemoryIdentityDirectory;
import dev.ikr.testing.InMemoryPendingDeletions;
import dev.ikr.testing.InMemoryRecordAuthenticator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DestructorTest extends InMemoryAccountTest {

    private static final Instant NOW = Instant.parse("2026-03-06T12:00:00Z");
    private static final Instant STARTED = NOW.minus(Duration.ofDays(5));
    private static final String ACCOUNT = InMemoryAccount.ACCOUNT_ID;
    private static final String ALICE = "alice";
    private static final String ALICE_MAIL = "alice@example.com";
    private static final String OLD = oldKey(ALICE);
    private static final String NEW = newKey(ALICE);
    private static final Duration RETRY_AFTER = Duration.ofMinutes(5);
    private static final int MAX_ATTEMPTS = 3;
    private static final String TTL = "Service/dynamodb.amazonaws.com";
    private static final InMemoryRecordAuthenticator AUTHENTICATOR = new InMemoryRecordAuthenticator();

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    DestructorTest() {
        super(NOW);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** The pending deletion the rotator wrote for {@code user}, due now. */
    private static RotationRecord pending(String user, String oldKeyId, String newKeyId, int attempts) {
        return new RotationRecord(user, oldKeyId, mailOf(user), RecordState.PENDING_DELETION, Optional.of(newKeyId),
                Optional.of(NOW.minus(Duration.ofMinutes(1))), STARTED, attempts, Optional.empty());
    }

    private static RotationRecord pending(String user) {
        return pending(user, oldKey(user), newKey(user), 0);
    }

    /** Removed by the TTL, with the seal IKR wrote it with. */
    private static Removed expired(String eventId, RotationRecord record) {
        return new Removed(eventId, true, TTL, record, Optional.of(AUTHENTICATOR.seal(record)));
    }

    private static Removed deletedByHand(String eventId, RotationRecord record) {
        return new Removed(eventId, false, "AssumedRole/AROAEXAMPLE:operator", record,
                Optional.of(AUTHENTICATOR.seal(record)));
    }

    /** A user in the middle of a rotation: the old key and its active replacement, and the mail's decryption key. */
    private void rotated(String user) {
        directory.user(user, Map.of("IKR:EMAIL", mailOf(user)))
                .key(user, oldKey(user), KeyStatus.ACTIVE, NOW.minus(Duration.ofDays(95)))
                .key(user, newKey(user), KeyStatus.ACTIVE, STARTED);
        secretStore.putUserKey(user, EncryptionKey.generate(new SecureRandom()), newKey(user));
    }

    private Destructor destructor(boolean encrypt, int maxConcurrency, IdentityDirectory iam) {
        return new Destructor(iam, table, secretStore, AUTHENTICATOR, mailer, new MessageRenderer(),
                new Destructor.Options(encrypt, RETRY_AFTER, MAX_ATTEMPTS, maxConcurrency), clock);
    }

    /** Runs one batch; the journal then holds only what this batch changed. */
    private List<DeletionOutcome> process(boolean encrypt, StreamChange... batch) {
        journal.clear();
        return destructor(encrypt, 4, directory).process(List.of(batch), ACCOUNT);
    }

    private DeletionOutcome processOne(StreamChange change) {
        List<DeletionOutcome> outcomes = process(true, change);
        assertThat(outcomes).hasSize(1);
        return outcomes.getFirst();
    }

    private MailMessage onlyMailTo(String address) {
        assertThat(mailer.sent()).hasSize(1);
        List<MailMessage> mails = mailer.sentTo(address);
        assertThat(mails).hasSize(1);
        return mails.getFirst();
    }

    private void assertNothingChanged() {
        assertThat(journal).isEmpty();
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD, NEW);
        assertThat(secretStore.stored()).containsKey(ALICE);
        assertThat(table.records()).isEmpty();
        assertThat(mailer.sent()).isEmpty();
    }

    // ---- items IKR did not write --------------------------------------------------------------

    static Stream<Arguments> unverifiedRemovals() {
        RotationRecord genuine = pending(ALICE);
        var sealed = AUTHENTICATOR.seal(genuine);
        RotationRecord otherEmail = new RotationRecord(ALICE, OLD, "thief@example.net",
                RecordState.PENDING_DELETION, genuine.newKeyId(), genuine.deleteOn(), STARTED, 0, Optional.empty());
        RotationRecord earlier = new RotationRecord(ALICE, OLD, ALICE_MAIL, RecordState.PENDING_DELETION,
                genuine.newKeyId(), Optional.of(NOW.minus(Duration.ofDays(3))), STARTED, 0, Optional.empty());
        RotationRecord otherKey = new RotationRecord(ALICE, NEW, ALICE_MAIL, RecordState.PENDING_DELETION,
                Optional.of(OLD), genuine.deleteOn(), STARTED, 0, Optional.empty());
        return Stream.of(
                Arguments.of("the original project's format, no seal",
                        new Removed("e1", true, TTL, genuine, Optional.empty()), "carries no MAC"),
                Arguments.of("a sealed item with another email",
                        new Removed("e1", true, TTL, otherEmail, Optional.of(sealed)), "does not match"),
                Arguments.of("a sealed item with an earlier delete_on",
                        new Removed("e1", true, TTL, earlier, Optional.of(sealed)), "does not match"),
                Arguments.of("a sealed item naming the other key",
                        new Removed("e1", true, TTL, otherKey, Optional.of(sealed)), "does not match"),
                Arguments.of("a seal made under another key",
                        new Removed("e1", true, TTL, genuine, Optional.of(new RecordSeal(
                                sealed.mac(), "someone-elses-key"))), "MAC key is not ours"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unverifiedRemovals")
    void deletesNothingAndMailsNoOwner_whenTheExpiredItemIsNotProvenIkrs(String kind, Removed removal,
            String reason) {
        rotated(ALICE);
        var withAdmin = new Destructor(directory, table, secretStore, AUTHENTICATOR, mailer, new MessageRenderer(),
                new Destructor.Options(true, RETRY_AFTER, MAX_ATTEMPTS, 4,
                        Optional.of(EmailAddress.of("secops@example.com"))), clock);
        journal.clear();

        DeletionOutcome outcome = withAdmin.process(List.of(removal), ACCOUNT).getFirst();

        assertThat(outcome.result()).isEqualTo(Result.UNVERIFIED_RECORD);
        assertThat(outcome.result().retryByStream()).isFalse();
        assertThat(outcome.reason()).contains("not written by IKR", reason);
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD, NEW);
        assertThat(secretStore.stored()).containsKey(ALICE);
        assertThat(table.records()).isEmpty();
        assertThat(mailer.sent()).singleElement().satisfies(mail -> {
            assertThat(mail.to()).containsExactly(EmailAddress.of("secops@example.com"));
            assertThat(mail.text()).contains("The destructor found items", "user alice, key " + removal.record()
                    .oldKeyId());
        });
        assertThat(logs.all()).contains("unverified record: not acted on");
    }

    // ---- the deletion -------------------------------------------------------------------------

    @Test
    void deletesTheOldKeyAndItsDecryptionKey_andTellsTheOwner_whenThePendingDeletionExpires() {
        rotated(ALICE);

        DeletionOutcome outcome = processOne(expired("e1", pending(ALICE)));

        assertThat(outcome.result()).isEqualTo(Result.DELETED);
        assertThat(outcome.result().retryByStream()).isFalse();
        assertThat(outcome.user()).contains(ALICE);
        assertThat(outcome.keyId()).contains(OLD);
        assertThat(directory.keyIds(ALICE)).containsExactly(NEW);
        assertThat(secretStore.stored()).doesNotContainKey(ALICE);
        assertThat(table.records()).as("nothing is written back").isEmpty();
        assertThat(journal).containsExactly("deleteAccessKey alice " + OLD, "deleteUserKey alice",
                "send alice@example.com", "recordDelivery alice");
        assertThat(table.delivery(ALICE)).as("where the new key went, for a later change of address").contains(
                new LastDelivery(ALICE, EmailAddress.of(ALICE_MAIL), NEW, STARTED));
        MailMessage mail = onlyMailTo(ALICE_MAIL);
        assertThat(mail.to()).containsExactly(EmailAddress.of(ALICE_MAIL));
        assertThat(mail.subject()).contains("deleted", ALICE, ACCOUNT);
        for (String part : List.of(mail.text(), mail.html())) {
            assertThat(part).contains(OLD, NEW, "/ikr/secret/iam/alice");
        }
    }

    @Test
    void deletesTheOldKeyButKeepsTheSsmParameter_whenNotEncrypting() {
        rotated(ALICE);

        List<DeletionOutcome> outcomes = process(false, expired("e1", pending(ALICE)));

        assertThat(outcomes).extracting(DeletionOutcome::result).containsExactly(Result.DELETED);
        assertThat(directory.keyIds(ALICE)).containsExactly(NEW);
        assertThat(secretStore.stored()).containsKey(ALICE);
        assertThat(journal).doesNotContain("deleteUserKey alice");
        MailMessage mail = onlyMailTo(ALICE_MAIL);
        assertThat(mail.text()).contains(OLD).doesNotContain("/ikr/secret/iam/");
    }

    @Test
    void reportsAlreadyGoneWithoutMail_butStillDeletesTheDecryptionKey_whenTheKeyWasDeletedByHand() {
        rotated(ALICE);
        directory.deleteAccessKey(ALICE, OLD);

        DeletionOutcome outcome = processOne(expired("e1", pending(ALICE)));

        assertThat(outcome.result()).isEqualTo(Result.ALREADY_GONE);
        assertThat(outcome.keyId()).contains(OLD);
        assertThat(directory.keyIds(ALICE)).containsExactly(NEW);
        assertThat(secretStore.stored()).doesNotContainKey(ALICE);
        assertThat(mailer.sent()).isEmpty();
        assertThat(table.records()).isEmpty();
        assertThat(journal).containsExactly("deleteUserKey alice", "recordDelivery alice");
    }

    @Test
    void reportsAlreadyGone_whenTheUserNoLongerExists() {
        DeletionOutcome outcome = processOne(expired("e1", pending(ALICE)));

        assertThat(outcome.result()).isEqualTo(Result.ALREADY_GONE);
        assertThat(mailer.sent()).isEmpty();
        assertThat(table.records()).isEmpty();
        assertThat(journal).as("no decryption key was stored").containsExactly("recordDelivery alice");
    }

    @Test
    void keepsTheDecryptionKeyOfALaterRotation_whenFinishingAnEarlierOne() {
        rotated(ALICE);
        directory.deleteAccessKey(ALICE, OLD);
        secretStore.putUserKey(ALICE, EncryptionKey.generate(new SecureRandom()), "AKIALATERALICE000000");
        journal.clear();

        DeletionOutcome outcome = processOne(expired("e1", pending(ALICE)));

        assertThat(outcome.result()).isEqualTo(Result.ALREADY_GONE);
        assertThat(outcome.reason()).contains("belongs to a later rotation and is kept");
        assertThat(secretStore.stored()).as("the later mail stays decryptable").containsKey(ALICE);
        assertThat(journal).containsExactly("keepUserKey alice", "recordDelivery alice");
    }

    @Test
    void deletesADecryptionKeyThatNamesNoAccessKey_asTheOriginalProjectWroteThem() {
        rotated(ALICE);
        secretStore.putLegacyUserKey(ALICE, EncryptionKey.generate(new SecureRandom()));

        DeletionOutcome outcome = processOne(expired("e1", pending(ALICE)));

        assertThat(outcome.result()).isEqualTo(Result.DELETED);
        assertThat(secretStore.stored()).doesNotContainKey(ALICE);
    }

    // ---- never the last working key -----------------------------------------------------------

    // ---- a record alone never deletes a key -----------------------------------------------------

    @Test
    void keepsTheKeysOfAUserWithoutTheEmailTag_andMailsNobody_whateverTheRecordSays() {
        directory.user("mallory", Map.of("team", "ci"))
                .key("mallory", oldKey("mallory"), KeyStatus.ACTIVE, NOW.minus(Duration.ofDays(400)))
                .key("mallory", newKey("mallory"), KeyStatus.ACTIVE, NOW.minus(Duration.ofDays(300)));
        RotationRecord forged = RotationRecord.intent("mallory", oldKey("mallory"),
                EmailAddress.of("forger@attacker.example"), STARTED).scheduled(newKey("mallory"), NOW);

        DeletionOutcome outcome = processOne(expired("e1", forged));

        assertThat(outcome.result()).isEqualTo(Result.NEEDS_ATTENTION);
        assertThat(outcome.reason()).contains("IKR:EMAIL");
        assertThat(directory.keyIds("mallory")).containsExactly(oldKey("mallory"), newKey("mallory"));
        assertThat(mailer.sent()).as("a record alone never chooses an address").isEmpty();
        assertThat(logs.all()).contains("owner not told");
    }

    @Test
    void mailsTheUsersCurrentAddress_notTheOneInTheRecord() {
        rotated(ALICE);
        RotationRecord redirected = RotationRecord.intent(ALICE, OLD, EmailAddress.of("forger@attacker.example"),
                STARTED).scheduled(NEW, NOW);

        DeletionOutcome outcome = processOne(expired("e1", redirected));

        assertThat(outcome.result()).isEqualTo(Result.DELETED);
        assertThat(mailer.sentTo("forger@attacker.example")).isEmpty();
        assertThat(onlyMailTo(ALICE_MAIL).subject()).contains("deleted");
    }

    @Test
    void keepsTheOldKey_whenTheKeyMailedInItsPlaceIsGone_evenWithAnotherActiveKey() {
        rotated(ALICE);
        directory.deleteAccessKey(ALICE, NEW);
        directory.key(ALICE, "AKIAUNKNOWNALICE0000", KeyStatus.ACTIVE, NOW);

        DeletionOutcome outcome = processOne(expired("e1", pending(ALICE)));

        assertThat(outcome.result()).isEqualTo(Result.NEEDS_ATTENTION);
        assertThat(directory.keyIds(ALICE)).contains(OLD);
    }

    @Test
    void keepsTheUsersOnlyKey_parksTheRecordForAPerson_andMailsTheOwner() {
        directory.user(ALICE, Map.of("IKR:EMAIL", ALICE_MAIL))
                .key(ALICE, OLD, KeyStatus.ACTIVE, NOW.minus(Duration.ofDays(95)));
        secretStore.putUserKey(ALICE, EncryptionKey.generate(new SecureRandom()), NEW);

        DeletionOutcome outcome = processOne(expired("e1", pending(ALICE)));

        assertThat(outcome.result()).isEqualTo(Result.NEEDS_ATTENTION);
        assertThat(outcome.result().retryByStream()).isFalse();
        assertThat(outcome.reason()).contains("only key");
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD);
        assertThat(secretStore.stored()).as("the decryption key is kept with the key").containsKey(ALICE);
        RotationRecord parked = table.find(ALICE, OLD).orElseThrow();
        assertThat(parked.state()).isEqualTo(RecordState.NEEDS_ATTENTION);
        assertThat(parked.deleteOn()).as("no TTL: nothing happens until a person acts").isEmpty();
        assertThat(parked.reason()).hasValueSatisfying(reason -> assertThat(reason).contains("only key", OLD));
        assertThat(parked.newKeyId()).contains(NEW);
        assertThat(parked.email()).isEqualTo(ALICE_MAIL);
        assertThat(parked.startedAt()).isEqualTo(STARTED);
        assertThat(journal).containsExactly("putBack alice", "send alice@example.com");
        MailMessage mail = onlyMailTo(ALICE_MAIL);
        assertThat(mail.subject()).contains("action needed", ALICE, ACCOUNT);
        assertThat(mail.text()).contains("Access key ID kept: " + OLD, "only key");
    }

    @Test
    void keepsTheOldKey_andParksTheRecord_whenTheUsersOtherKeyIsInactive() {
        directory.user(ALICE, Map.of("IKR:EMAIL", ALICE_MAIL))
                .key(ALICE, OLD, KeyStatus.ACTIVE, NOW.minus(Duration.ofDays(95)))
                .key(ALICE, NEW, KeyStatus.INACTIVE, STARTED);

        DeletionOutcome outcome = processOne(expired("e1", pending(ALICE)));

        assertThat(outcome.result()).isEqualTo(Result.NEEDS_ATTENTION);
        assertThat(outcome.reason()).contains("inactive");
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD, NEW);
        RotationRecord parked = table.find(ALICE, OLD).orElseThrow();
        assertThat(parked.state()).isEqualTo(RecordState.NEEDS_ATTENTION);
        assertThat(parked.deleteOn()).isEmpty();
        assertThat(parked.reason()).hasValueSatisfying(reason -> assertThat(reason).contains("inactive"));
        assertThat(journal).doesNotContain("deleteAccessKey alice " + OLD, "deleteUserKey alice");
        assertThat(onlyMailTo(ALICE_MAIL).text()).contains("Access key ID kept: " + OLD, "inactive");
    }

    @Test
    void asksTheStreamAgain_withoutMail_whenTheParkedRecordCannotBeWritten() {
        directory.user(ALICE, Map.of("IKR:EMAIL", ALICE_MAIL))
                .key(ALICE, OLD, KeyStatus.ACTIVE, NOW.minus(Duration.ofDays(95)));
        table.fail(InMemoryPendingDeletions.Operation.PUT_BACK);

        DeletionOutcome outcome = processOne(expired("e1", pending(ALICE)));

        assertThat(outcome.result()).isEqualTo(Result.FAILED);
        assertThat(outcome.result().retryByStream()).isTrue();
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD);
        assertThat(table.records()).isEmpty();
        assertThat(mailer.sent()).isEmpty();
    }

    // ---- records that delete nothing ----------------------------------------------------------

    @Test
    void cancelsTheDeletionAndKeepsTheKey_whenTheRecordIsDeletedByHand() {
        rotated(ALICE);

        DeletionOutcome outcome = processOne(deletedByHand("e1", pending(ALICE)));

        assertThat(outcome.result()).isEqualTo(Result.CANCELLED);
        assertThat(outcome.result().retryByStream()).isFalse();
        assertThat(outcome.user()).contains(ALICE);
        assertThat(outcome.reason()).contains("AssumedRole/AROAEXAMPLE:operator", "kept");
        assertNothingChanged();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void ignoresTheRemovalOfAnIntent_whoeverRemovedIt(boolean removedByTtl) {
        rotated(ALICE);
        var intent = RotationRecord.intent(ALICE, OLD, EmailAddress.of(ALICE_MAIL), STARTED);

        DeletionOutcome outcome = processOne(new Removed("e1", removedByTtl, removedByTtl ? TTL : "someone", intent,
                Optional.of(AUTHENTICATOR.seal(intent))));

        assertThat(outcome.result()).isEqualTo(Result.IGNORED);
        assertThat(outcome.reason()).contains("intent");
        assertNothingChanged();
    }

    @ParameterizedTest
    @ValueSource(strings = {"INSERT", "MODIFY"})
    void ignoresInsertsAndModifications(String eventName) {
        rotated(ALICE);

        DeletionOutcome outcome = processOne(new Other("e1", eventName));

        assertThat(outcome.result()).isEqualTo(Result.IGNORED);
        assertThat(outcome.result().retryByStream()).isFalse();
        assertThat(outcome.reason()).contains(eventName);
        assertNothingChanged();
    }

    @Test
    void reportsAMalformedRecord_forTheStreamToDeliverAgain() {
        rotated(ALICE);

        DeletionOutcome outcome = processOne(new Malformed("e1", "the old image cannot be read: no 'user'"));

        assertThat(outcome.result()).isEqualTo(Result.MALFORMED);
        assertThat(outcome.result().retryByStream()).isTrue();
        assertThat(outcome.reason()).isEqualTo("the old image cannot be read: no 'user'");
        assertThat(outcome.user()).isEmpty();
        assertNothingChanged();
    }

    // ---- failures -----------------------------------------------------------------------------

    @Test
    void requeuesTheDeletion_withOneMoreAttemptAndALaterDeleteOn_whenIamCannotDeleteTheKey() {
        rotated(ALICE);
        directory.fail(InMemoryIdentityDirectory.Operation.DELETE_ACCESS_KEY);

        DeletionOutcome outcome = processOne(expired("e1", pending(ALICE, OLD, NEW, 1)));

        assertThat(outcome.result()).isEqualTo(Result.REQUEUED);
        assertThat(outcome.result().retryByStream()).isFalse();
        assertThat(outcome.reason()).contains("deleting the key failed", "attempt 2 of 3");
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD, NEW);
        assertThat(secretStore.stored()).containsKey(ALICE);
        RotationRecord retry = table.find(ALICE, OLD).orElseThrow();
        assertThat(retry.state()).isEqualTo(RecordState.PENDING_DELETION);
        assertThat(retry.attempts()).isEqualTo(2);
        assertThat(retry.deleteOn()).contains(NOW.plus(RETRY_AFTER));
        assertThat(retry.newKeyId()).contains(NEW);
        assertThat(retry.email()).isEqualTo(ALICE_MAIL);
        assertThat(retry.startedAt()).isEqualTo(STARTED);
        assertThat(retry.reason()).hasValueSatisfying(reason -> assertThat(reason).contains("IAM refused"));
        assertThat(mailer.sent()).isEmpty();
    }

    @Test
    void asksForAPerson_whenTheLastAllowedAttemptFails() {
        rotated(ALICE);
        directory.fail(InMemoryIdentityDirectory.Operation.DELETE_ACCESS_KEY);

        DeletionOutcome outcome = processOne(expired("e1", pending(ALICE, OLD, NEW, MAX_ATTEMPTS - 1)));

        assertThat(outcome.result()).isEqualTo(Result.NEEDS_ATTENTION);
        assertThat(outcome.reason()).contains("deletion failed 3 times");
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD, NEW);
        RotationRecord parked = table.find(ALICE, OLD).orElseThrow();
        assertThat(parked.state()).isEqualTo(RecordState.NEEDS_ATTENTION);
        assertThat(parked.attempts()).isEqualTo(MAX_ATTEMPTS);
        assertThat(parked.deleteOn()).isEmpty();
        assertThat(parked.reason()).hasValueSatisfying(reason -> assertThat(reason).contains("3 times", "IAM refused"));
        MailMessage mail = onlyMailTo(ALICE_MAIL);
        assertThat(mail.subject()).contains("action needed");
        assertThat(mail.text()).contains(OLD, "deletion failed 3 times");
    }

    @Test
    void failsForTheStreamToDeliverAgain_whenTheRetryCannotBeWrittenBackEither() {
        rotated(ALICE);
        directory.fail(InMemoryIdentityDirectory.Operation.DELETE_ACCESS_KEY);
        table.fail(InMemoryPendingDeletions.Operation.PUT_BACK);

        DeletionOutcome outcome = processOne(expired("e1", pending(ALICE)));

        assertThat(outcome.result()).isEqualTo(Result.FAILED);
        assertThat(outcome.result().retryByStream()).isTrue();
        assertThat(outcome.reason()).contains("deleting the key failed", "writing the record back failed");
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD, NEW);
        assertThat(table.records()).isEmpty();
        assertThat(mailer.sent()).isEmpty();
    }

    @Test
    void requeues_whenSsmFailsAfterTheKeyIsDeleted_andTheRetryDeletesTheDecryptionKey() {
        rotated(ALICE);
        secretStore.fail();

        DeletionOutcome first = processOne(expired("e1", pending(ALICE)));

        assertThat(first.result()).isEqualTo(Result.REQUEUED);
        assertThat(first.reason()).contains("SSM");
        assertThat(directory.keyIds(ALICE)).containsExactly(NEW);
        assertThat(secretStore.stored()).containsKey(ALICE);
        RotationRecord retry = table.find(ALICE, OLD).orElseThrow();
        assertThat(retry.state()).isEqualTo(RecordState.PENDING_DELETION);
        assertThat(retry.attempts()).isEqualTo(1);
        assertThat(retry.deleteOn()).contains(NOW.plus(RETRY_AFTER));

        secretStore.heal();
        DeletionOutcome second = processOne(expired("e2", retry));

        assertThat(second.result()).isEqualTo(Result.ALREADY_GONE);
        assertThat(secretStore.stored()).doesNotContainKey(ALICE);
        assertThat(directory.keyIds(ALICE)).containsExactly(NEW);
        assertThat(journal).containsExactly("deleteUserKey alice", "recordDelivery alice");
    }

    @Test
    void doesNotTellTheOwnerTheKeyWasKept_whenOnlyItsDecryptionKeyCouldNotBeDeleted() {
        rotated(ALICE);
        secretStore.fail();

        DeletionOutcome outcome = processOne(expired("e1", pending(ALICE, OLD, NEW, MAX_ATTEMPTS - 1)));

        assertThat(directory.keyIds(ALICE)).containsExactly(NEW);
        assertThat(outcome.reason()).doesNotContain("the key is kept");
        assertThat(mailer.sentTo(ALICE_MAIL)).allSatisfy(
                mail -> assertThat(mail.text()).doesNotContain("Access key ID kept: " + OLD));
    }

    @Test
    void staysDeleted_andIsNotRequeued_whenTheMailCannotBeSent() {
        rotated(ALICE);
        mailer.fail();

        DeletionOutcome outcome = processOne(expired("e1", pending(ALICE)));

        assertThat(outcome.result()).isEqualTo(Result.DELETED);
        assertThat(directory.keyIds(ALICE)).containsExactly(NEW);
        assertThat(secretStore.stored()).doesNotContainKey(ALICE);
        assertThat(table.records()).isEmpty();
        assertThat(mailer.sent()).isEmpty();
        assertThat(logs.lines()).anySatisfy(line -> assertThat(line)
                .contains("\"level\":\"ERROR\"", "owner not told", "\"user\":\"alice\"", OLD));
    }

    // ---- batches ------------------------------------------------------------------------------

    @Test
    void returnsTheOutcomesInBatchOrder_whenUsersFinishOutOfOrder() {
        List<String> users = new ArrayList<>();
        List<StreamChange> batch = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String user = "user" + i;
            users.add(user);
            rotated(user);
            batch.add(expired("ttl-" + i, pending(user)));
            if (i % 5 == 0) {
                batch.add(new Other("insert-" + i, "INSERT"));
            }
            if (i % 7 == 0) {
                batch.add(new Malformed("broken-" + i, "no old image"));
            }
        }
        // The earlier a user is in the batch, the slower IAM answers for it.
        var slowIam = new SlowDirectory(directory, user -> sleep(10 * (16 - Integer.parseInt(user.substring(4)))));

        journal.clear();
        List<DeletionOutcome> outcomes = destructor(true, 4, slowIam).process(batch, ACCOUNT);

        assertThat(outcomes).extracting(DeletionOutcome::eventId)
                .containsExactlyElementsOf(batch.stream().map(StreamChange::eventId).toList());
        for (int i = 0; i < batch.size(); i++) {
            DeletionOutcome outcome = outcomes.get(i);
            Result expected = switch (batch.get(i)) {
                case Removed removed -> Result.DELETED;
                case StreamChange.KmsKeyRemoved kms -> Result.RETIRED;
                case Other other -> Result.IGNORED;
                case Malformed malformed -> Result.MALFORMED;
            };
            assertThat(outcome.result()).as(outcome.eventId()).isEqualTo(expected);
        }
        assertThat(journal.stream().filter(change -> change.startsWith("deleteAccessKey")).toList())
                .as("deletions ran for several users").hasSize(16)
                .isNotEqualTo(users.stream().map(user -> "deleteAccessKey " + user + " " + oldKey(user)).toList());
        for (String user : users) {
            assertThat(directory.keyIds(user)).as(user).containsExactly(newKey(user));
            assertThat(mailer.sentTo(mailOf(user))).as(user).hasSize(1);
        }
    }

    @Test
    void handlesTwoRecordsOfOneUserInStreamOrder_soItsLastKeyIsNeverDeleted() {
        String first = "AKIAFIRSTKEY00000001";
        String second = "AKIASECONDKEY0000001";
        directory.user(ALICE, Map.of("IKR:EMAIL", ALICE_MAIL))
                .key(ALICE, first, KeyStatus.ACTIVE, NOW.minus(Duration.ofDays(200)))
                .key(ALICE, second, KeyStatus.ACTIVE, NOW.minus(Duration.ofDays(100)));
        List<StreamChange> batch = new ArrayList<>();
        batch.add(expired("alice-1", pending(ALICE, first, second, 0)));
        for (int i = 0; i < 6; i++) {
            rotated("user" + i);
            batch.add(expired("other-" + i, pending("user" + i)));
        }
        batch.add(expired("alice-2", pending(ALICE, second, "AKIANEVERCREATED0001", 0)));
        // IAM is slow for alice: were her records handled in parallel, each would still see the other key active.
        var slowIam = new SlowDirectory(directory, user -> sleep(user.equals(ALICE) ? 50 : 1));

        List<DeletionOutcome> outcomes = destructor(true, 4, slowIam).process(batch, ACCOUNT);

        assertThat(outcomes.getFirst().result()).isEqualTo(Result.DELETED);
        assertThat(outcomes.getFirst().keyId()).contains(first);
        assertThat(outcomes.getLast().result()).isEqualTo(Result.NEEDS_ATTENTION);
        assertThat(outcomes.getLast().keyId()).contains(second);
        assertThat(directory.keyIds(ALICE)).containsExactly(second);
        assertThat(table.find(ALICE, second).orElseThrow().state()).isEqualTo(RecordState.NEEDS_ATTENTION);
        assertThat(mailer.sentTo(ALICE_MAIL)).extracting(MailMessage::subject).satisfiesExactly(
                subject -> assertThat(subject).contains("deleted"),
                subject -> assertThat(subject).contains("action needed"));
    }

    @Test
    void looksTheAccountAliasUpOnce_forAllTheMailsOfABatch() {
        directory.alias("acme-prod");
        List<StreamChange> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            rotated("user" + i);
            batch.add(expired("e" + i, pending("user" + i)));
        }

        List<DeletionOutcome> outcomes = destructor(true, 4, directory).process(batch, ACCOUNT);

        assertThat(outcomes).extracting(DeletionOutcome::result).containsOnly(Result.DELETED);
        assertThat(mailer.sent()).hasSize(8).allSatisfy(mail -> assertThat(mail.subject()).contains("acme-prod"));
        assertThat(directory.aliasLookups()).isEqualTo(1);
    }

    @Test
    void looksNoAliasUp_whenTheBatchMailsNobody() {
        directory.alias("acme-prod");
        rotated(ALICE);

        process(true, deletedByHand("e1", pending(ALICE)), new Other("e2", "INSERT"));

        assertThat(mailer.sent()).isEmpty();
        assertThat(directory.aliasLookups()).isZero();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- two stages and the in-use guard ---------------------------------------------------------

    private static final Instant DELETE_DAY = NOW.plus(Duration.ofDays(3));

    private static RotationRecord awaitingDeactivation(String user) {
        return pending(user).scheduled(newKey(user), Optional.of(NOW.minus(Duration.ofMinutes(1))), DELETE_DAY);
    }

    private Destructor guarded(InUseGuard guard) {
        return new Destructor(directory, table, secretStore, AUTHENTICATOR, mailer, new MessageRenderer(),
                new Destructor.Options(true, RETRY_AFTER, MAX_ATTEMPTS, 4, Optional.empty(), guard), clock);
    }

    @Test
    void theFirstStage_deactivatesTheOldKey_tellsTheOwnerHowToUndoIt_andWritesTheRecordBackWithTheDeletionDate() {
        rotated(ALICE);

        DeletionOutcome outcome = processOne(expired("e1", awaitingDeactivation(ALICE)));

        assertThat(outcome.result()).isEqualTo(Result.DEACTIVATED);
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD, NEW);
        assertThat(directory.statusOf(ALICE, OLD)).contains(KeyStatus.INACTIVE);
        RotationRecord back = table.find(ALICE, OLD).orElseThrow();
        assertThat(back.deleteOn()).contains(DELETE_DAY);
        assertThat(back.awaitsDeactivation()).isFalse();
        assertThat(secretStore.stored()).containsKey(ALICE);
        assertThat(onlyMailTo(ALICE_MAIL).text()).contains("deactivated", "aws iam update-access-key --user-name "
                + ALICE + " --access-key-id " + OLD + " --status Active", MessageRenderer.mailDate(DELETE_DAY));
    }

    @Test
    void theSecondStage_deletesTheInactiveOldKey_andOnlyThen_itsDecryptionKey() {
        rotated(ALICE);
        directory.status(ALICE, OLD, KeyStatus.INACTIVE);

        DeletionOutcome outcome = processOne(expired("e1", awaitingDeactivation(ALICE).deactivated(NOW)));

        assertThat(outcome.result()).isEqualTo(Result.DELETED);
        assertThat(directory.keyIds(ALICE)).containsExactly(NEW);
        assertThat(secretStore.stored()).doesNotContainKey(ALICE);
    }

    @Test
    void aKeyReactivatedByHand_isStillDeletedAtItsDate() {
        rotated(ALICE);

        DeletionOutcome outcome = processOne(expired("e1", awaitingDeactivation(ALICE).deactivated(NOW)));

        assertThat(outcome.result()).isEqualTo(Result.DELETED);
        assertThat(directory.keyIds(ALICE)).containsExactly(NEW);
    }

    @Test
    void aKeyUsedAfterTheDelivery_isPostponed_andTheOwnerToldWhereItWasUsed() {
        rotated(ALICE);
        directory.used(OLD, new KeyUse(NOW.minus(Duration.ofHours(3)), "sts", "eu-central-1"));

        DeletionOutcome outcome = processOne(expired("e1", pending(ALICE)));

        assertThat(outcome.result()).isEqualTo(Result.POSTPONED);
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD, NEW);
        RotationRecord back = table.find(ALICE, OLD).orElseThrow();
        assertThat(back.deleteOn()).contains(NOW.plus(Duration.ofDays(3)));
        assertThat(back.postponements()).isEqualTo(1);
        assertThat(onlyMailTo(ALICE_MAIL).text()).contains("Service: sts", "Region: eu-central-1",
                MessageRenderer.mailDate(NOW.plus(Duration.ofDays(3))));
    }

    @Test
    void withNoPostponementsAllowed_theKeyIsDeleted_andTheMailSaysItWasStillUsed() {
        rotated(ALICE);
        directory.used(OLD, new KeyUse(NOW.minus(Duration.ofHours(3)), "sts", "eu-central-1"));
        journal.clear();

        DeletionOutcome outcome = guarded(new InUseGuard(Duration.ofDays(3), 0, InUsePolicy.PROCEED))
                .process(List.of(expired("e1", pending(ALICE))), ACCOUNT).getFirst();

        assertThat(outcome.result()).isEqualTo(Result.DELETED);
        assertThat(directory.keyIds(ALICE)).containsExactly(NEW);
        assertThat(onlyMailTo(ALICE_MAIL).text()).contains("still in use", "sts", "eu-central-1");
    }

    @Test
    void withHold_aKeyStillInUseAfterTheLastPostponement_isKeptForAPerson() {
        rotated(ALICE);
        directory.used(OLD, new KeyUse(NOW.minus(Duration.ofHours(3)), "sts", "eu-central-1"));

        DeletionOutcome outcome = guarded(new InUseGuard(Duration.ofDays(3), 0, InUsePolicy.HOLD))
                .process(List.of(expired("e1", pending(ALICE))), ACCOUNT).getFirst();

        assertThat(outcome.result()).isEqualTo(Result.NEEDS_ATTENTION);
        assertThat(directory.keyIds(ALICE)).containsExactly(OLD, NEW);
        assertThat(table.find(ALICE, OLD).orElseThrow().state()).isEqualTo(RecordState.NEEDS_ATTENTION);
    }

    @Test
    void aFailedLastUseCheck_orDeactivation_isRetriedLater_andTheKeyKept() {
        rotated(ALICE);
        directory.fail(InMemoryIdentityDirectory.Operation.GET_ACCESS_KEY_LAST_USED);

        assertThat(processOne(expired("e1", pending(ALICE))).result()).isEqualTo(Result.REQUEUED);
        assertThat(table.find(ALICE, OLD).orElseThrow().reason().orElseThrow()).contains("last use");

        directory.heal();
        directory.fail(InMemoryIdentityDirectory.Operation.UPDATE_ACCESS_KEY);
        assertThat(processOne(expired("e2", awaitingDeactivation(ALICE))).result()).isEqualTo(Result.REQUEUED);
        RotationRecord retry = table.find(ALICE, OLD).orElseThrow();
        assertThat(retry.reason().orElseThrow()).contains("deactivating the key failed");
        assertThat(retry.awaitsDeactivation()).isTrue();
        assertThat(directory.statusOf(ALICE, OLD)).contains(KeyStatus.ACTIVE);
    }

    /** IAM that answers {@code accessKeys} after a delay chosen per user, so users finish out of order. */
    private static final class SlowDirectory implements IdentityDirectory {

        private final IdentityDirectory delegate;
        private final Consumer<String> delay;

        SlowDirectory(IdentityDirectory delegate, Consumer<String> delay) {
            this.delegate = delegate;
            this.delay = delay;
        }

        @Override
        public void forEachUser(Consumer<IamUser> consumer) {
            delegate.forEachUser(consumer);
        }

        @Override
        public Optional<IamUser> user(String name) {
            return delegate.user(name);
        }

        @Override
        public List<AccessKey> accessKeys(String user) {
            delay.accept(user);
            return delegate.accessKeys(user);
        }

        @Override
        public IssuedAccessKey createAccessKey(String user) {
            return delegate.createAccessKey(user);
        }

        @Override
        public KeyDeletion deleteAccessKey(String user, String keyId) {
            return delegate.deleteAccessKey(user, keyId);
        }

        @Override
        public void deactivateAccessKey(String user, String keyId) {
            delegate.deactivateAccessKey(user, keyId);
        }

        @Override
        public Optional<KeyUse> lastUse(String keyId) {
            return delegate.lastUse(keyId);
        }

        @Override
        public Optional<String> accountAlias() {
            return delegate.accountAlias();
        }
    }
}
