package dev.ikr.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ikr.aws.AwsClients;
import dev.ikr.cli.Expiry;
import dev.ikr.cli.StreamEvents;
import dev.ikr.config.DestructorConfig;
import dev.ikr.config.RotatorConfig;
import dev.ikr.crypto.Fernet;
import dev.ikr.destructor.DestructorHandler;
import dev.ikr.aws.RotationTableItems;
import dev.ikr.domain.EncryptionKey;
import dev.ikr.domain.RotationRecord;
import dev.ikr.local.LocalContext;
import dev.ikr.rotator.RotatorHandler;
import dev.ikr.testbed.FaultInjector;
import dev.ikr.testbed.LogCapture;
import dev.ikr.testbed.Moto;
import dev.ikr.testbed.MotoExtension;
import dev.ikr.testbed.TestAccount;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.DeleteAccessKeyRequest;

/**
 * The whole life of a key against moto: the rotator mails a new key, {@code expire} stands in for
 * DynamoDB's TTL and feeds the table's real stream to the real destructor handler.
 */
@ExtendWith(MotoExtension.class)
class KeyLifecycleIT {

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    private final TestAccount account = new TestAccount(Moto.shared());
    private final FaultInjector faults = new FaultInjector();
    private final AwsClients clients = new AwsClients(List.of(faults));
    private final Instant rotatedAt = Instant.now().plus(Duration.ofDays(100));
    private final Instant afterDeletionDate = rotatedAt.plus(Duration.ofDays(6));

    @BeforeEach
    void setUp() {
        account.createTable().verifySender();
    }

    @Test
    void oldKeyIsDeletedAfterItsDate_newKeyStays_decryptionKeyGoes_andTheOwnerIsTold() {
        String oldKey = rotatedUser("alice");
        String newKey = otherKey("alice", oldKey);
        assertThat(account.parameter("/ikr/secret/iam/alice")).isPresent();

        Map<String, Object> notYet = expire(rotatedAt.plus(Duration.ofDays(4)), Map.of());
        assertThat((List<?>) notYet.get("expired")).isEmpty();
        assertThat(account.keyIds("alice")).contains(oldKey);

        Map<String, Object> result = expire(afterDeletionDate, Map.of());

        assertThat(account.keyIds("alice")).containsExactly(newKey);
        assertThat(account.parameter("/ikr/secret/iam/alice")).isEmpty();
        assertThat(account.rotationItems()).isEmpty();
        assertThat(account.delivery("alice")).as("where the new key went, remembered").hasValueSatisfying(item -> {
            assertThat(item.get("email").s()).isEqualTo("alice@example.com");
            assertThat(item.get("new_ak").s()).isEqualTo(newKey);
            assertThat(item).containsKeys("mac", "mac_key").doesNotContainKey("delete_on");
        });
        assertThat(expired(result)).singleElement().satisfies(entry -> {
            assertThat(entry).containsEntry("user", "alice").containsEntry("keyId", oldKey)
                    .containsEntry("keyDeleted", true);
        });
        assertThat((List<?>) result.get("batchItemFailures")).isEmpty();
        var mails = account.sentMailsTo("alice@example.com");
        assertThat(mails).hasSize(2);
        assertThat(mails.get(1).subject()).contains("old AWS access key of alice deleted");
        assertThat(mails.get(1).body()).contains(oldKey).contains(newKey);
    }

    @Test
    void keepsTheSsmKey_whenEncryptionIsOff() {
        String oldKey = rotatedUser("bob", Map.of("ENCRYPT_KEY_PAIR", "false"));

        expire(afterDeletionDate, Map.of("ENCRYPT_KEY_PAIR", "false"));

        assertThat(account.keyIds("bob")).hasSize(1).doesNotContain(oldKey);
    }

    @Test
    void keyAlreadyDeletedByHand_endsTheRecordWithoutError() {
        String oldKey = rotatedUser("carol");
        account.deleteKey("carol", oldKey);

        Map<String, Object> result = expire(afterDeletionDate, Map.of());

        assertThat((List<?>) result.get("batchItemFailures")).isEmpty();
        assertThat(account.rotationItems()).isEmpty();
        assertThat(account.keyIds("carol")).hasSize(1);
        assertThat(logs.all()).contains("already_gone");
    }

    @Test
    void aChangedIkrEmail_getsTheNextKey_andThePreviousAddressIsTold() {
        String first = rotatedUser("heidi");
        String second = otherKey("heidi", first);
        expire(afterDeletionDate, Map.of());
        account.aws().iam().tagUser(request -> request.userName("heidi")
                .tags(tag -> tag.key("IKR:EMAIL").value("heidi@new.example")));
        Instant nextRotation = rotatedAt.plus(Duration.ofDays(100));

        new RotatorHandler(RotatorConfig.from(env(Map.of())), clients, clockAt(nextRotation))
                .handleRequest(Map.of(), context());

        String third = otherKey("heidi", second);
        assertThat(account.sentMailsTo("heidi@new.example")).singleElement()
                .satisfies(mail -> assertThat(mail.body()).contains(third));
        assertThat(account.sentMailsTo("heidi@example.com")).last().satisfies(notice -> {
            assertThat(notice.subject()).contains("heidi", Moto.ACCOUNT_ID, "now go to another address");
            assertThat(notice.body()).contains("New address: heidi@new.example", third);
        });
    }

    @Test
    void aStalePendingDeletion_isClearedBeforeTheNextRotation_soTheNewestMailStaysDecryptableUntilItsOwnDate() {
        String first = rotatedUser("erin");
        String second = otherKey("erin", first);
        account.deleteKey("erin", first);
        Instant rotatedAgainAt = rotatedAt.plus(Duration.ofDays(1));

        new RotatorHandler(RotatorConfig.from(env(Map.of())), clients, clockAt(rotatedAgainAt))
                .handleRequest(Map.of(), context());

        String third = otherKey("erin", second);
        assertThat(account.item("erin", first)).as("the stale pending deletion").isEmpty();
        assertThat(account.item("erin", second).orElseThrow().get("state").s()).isEqualTo("pending_deletion");
        Map<String, Object> atTheFirstDate = expire(afterDeletionDate.minus(Duration.ofHours(12)), Map.of());
        assertThat(expired(atTheFirstDate)).isEmpty();
        assertThat(decryptedKeyIdOfTheLastMailTo("erin")).as("the newest mail still decrypts").isEqualTo(third);

        expire(rotatedAgainAt.plus(Duration.ofDays(6)), Map.of());

        assertThat(account.keyIds("erin")).containsExactly(third);
        assertThat(account.parameter("/ikr/secret/iam/erin")).isEmpty();
    }

    @Test
    void neverDeletesTheOnlyKey_andAsksForAttention() {
        String oldKey = rotatedUser("dave");
        account.deleteKey("dave", otherKey("dave", oldKey));

        expire(afterDeletionDate, Map.of());

        assertThat(account.keyIds("dave")).containsExactly(oldKey);
        var item = account.item("dave", oldKey).orElseThrow();
        assertThat(item.get("state").s()).isEqualTo("needs_attention");
        assertThat(item).doesNotContainKey("delete_on");
        assertThat(item.get("reason").s()).contains("only key");
        assertThat(account.sentMailsTo("dave@example.com")).last()
                .satisfies(mail -> assertThat(mail.subject()).contains("action needed"));
    }

    @Test
    void neverDeletesTheOldKey_whenTheNewOneIsInactive() {
        String oldKey = rotatedUser("erin");
        account.deactivateKey("erin", otherKey("erin", oldKey));

        expire(afterDeletionDate, Map.of());

        assertThat(account.keyIds("erin")).hasSize(2).contains(oldKey);
        assertThat(account.item("erin", oldKey).orElseThrow().get("state").s()).isEqualTo("needs_attention");
    }

    @Test
    void failedDeletion_isRequeuedWithALaterDate_thenDeletedOnceIamIsBack() {
        String oldKey = rotatedUser("frank");
        faults.fail("DeleteAccessKey");

        Map<String, Object> failed = expire(afterDeletionDate, Map.of());

        assertThat((List<?>) failed.get("batchItemFailures")).isEmpty();
        var item = account.item("frank", oldKey).orElseThrow();
        assertThat(item.get("state").s()).isEqualTo("pending_deletion");
        assertThat(item.get("attempts").n()).isEqualTo("1");
        long retryAt = Long.parseLong(item.get("delete_on").n());
        assertThat(retryAt).isBetween(afterDeletionDate.plus(Duration.ofMinutes(4)).getEpochSecond(),
                afterDeletionDate.plus(Duration.ofMinutes(6)).getEpochSecond());
        assertThat(account.keyIds("frank")).contains(oldKey);

        faults.heal();
        expire(afterDeletionDate.plus(Duration.ofMinutes(10)), Map.of());

        assertThat(account.keyIds("frank")).hasSize(1).doesNotContain(oldKey);
        assertThat(account.rotationItems()).isEmpty();
    }

    @Test
    void afterMaxDeleteAttempts_theRecordWaitsForAPerson() {
        String oldKey = rotatedUser("grace");
        faults.fail("DeleteAccessKey");
        Map<String, String> twoAttempts = Map.of("MAX_DELETE_ATTEMPTS", "2");

        expire(afterDeletionDate, twoAttempts);
        expire(afterDeletionDate.plus(Duration.ofMinutes(10)), twoAttempts);

        var item = account.item("grace", oldKey).orElseThrow();
        assertThat(item.get("state").s()).isEqualTo("needs_attention");
        assertThat(item).doesNotContainKey("delete_on");
        assertThat(item.get("reason").s()).contains("failed 2 times").contains("DeleteAccessKey");
        assertThat(account.keyIds("grace")).contains(oldKey);
        assertThat(account.sentMailsTo("grace@example.com")).last()
                .satisfies(mail -> assertThat(mail.subject()).contains("action needed"));
    }

    @Test
    void removalByAnOperator_cancelsTheDeletion_andDeletesNothing() {
        String oldKey = rotatedUser("heidi");
        var item = account.item("heidi", oldKey).orElseThrow();

        StreamsEventResponse response = destructor(Map.of())
                .handleRequest(StreamEvents.event(List.of(remove("1", item)), "arn:stream", false), context());

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(account.keyIds("heidi")).hasSize(2).contains(oldKey);
        assertThat(logs.all()).contains("cancelled");
    }

    @Test
    void batchOfFive_withOneMalformedAndOneFailing_finishesTheOthers_andNamesExactlyWhatToRetry() {
        List<String> users = List.of("ivan", "judy", "kim", "leo");
        var items = new ArrayList<Map<String, AttributeValue>>();
        var oldKeys = new HashMap<String, String>();
        for (String user : users) {
            String oldKey = rotatedUser(user);
            oldKeys.put(user, oldKey);
            items.add(account.item(user, oldKey).orElseThrow());
        }
        Record malformed = Record.builder().eventID("bad").eventName(OperationType.REMOVE).awsRegion(Moto.REGION)
                .dynamodb(StreamRecord.builder().sequenceNumber("300").keys(Map.of()).build()).build();
        var batch = List.of(remove("100", items.get(0)), remove("200", items.get(1)), malformed,
                remove("400", items.get(2)), remove("500", items.get(3)));
        faults.fail("DeleteAccessKey", request -> ((DeleteAccessKeyRequest) request).userName().equals("judy"));
        faults.fail("PutItem");

        StreamsEventResponse response = destructor(Map.of())
                .handleRequest(StreamEvents.event(batch, "arn:stream", true), context());

        assertThat(response.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactlyInAnyOrder("200", "300");
        for (String done : List.of("ivan", "kim", "leo")) {
            assertThat(account.keyIds(done)).hasSize(1).doesNotContain(oldKeys.get(done));
        }
        assertThat(account.keyIds("judy")).hasSize(2).contains(oldKeys.get("judy"));
        assertThat(logs.all()).contains("\"eventId\":\"bad\"").contains("no old image");
    }

    @Test
    void twoStages_deactivateTheOldKeyFirst_aKeyReactivatedByHandIsStillDeletedAtItsDate() {
        String oldKey = rotatedUser("grace", Map.of("DEACTIVATE_AFTER_DAYS", "2"));
        String newKey = otherKey("grace", oldKey);
        assertThat(account.sentMailsTo("grace@example.com").getFirst().body()).contains("deactivated on");

        Map<String, Object> first = expire(rotatedAt.plus(Duration.ofDays(3)), Map.of());

        assertThat(expired(first)).singleElement().satisfies(entry -> assertThat(entry)
                .containsEntry("keyDeleted", false).containsEntry("keyActive", false)
                .containsEntry("recordState", "pending_deletion"));
        assertThat(account.keyIds("grace")).containsExactlyInAnyOrder(oldKey, newKey);
        var back = account.item("grace", oldKey).orElseThrow();
        assertThat(Long.parseLong(back.get("delete_on").n()))
                .isBetween(rotatedAt.plus(Duration.ofDays(5)).getEpochSecond() - 60,
                        rotatedAt.plus(Duration.ofDays(5)).getEpochSecond());
        assertThat(back).containsKeys("mac", "mac_key", "checked_at").doesNotContainKey("final_delete_on");
        var mails = account.sentMailsTo("grace@example.com");
        assertThat(mails).hasSize(2);
        assertThat(mails.get(1).subject()).contains("deactivated");
        assertThat(mails.get(1).body()).contains("aws iam update-access-key --user-name grace --access-key-id "
                + oldKey + " --status Active");

        account.aws().iam().updateAccessKey(request -> request.userName("grace").accessKeyId(oldKey)
                .status(software.amazon.awssdk.services.iam.model.StatusType.ACTIVE));
        expire(afterDeletionDate, Map.of());

        assertThat(account.keyIds("grace")).containsExactly(newKey);
        assertThat(account.rotationItems()).isEmpty();
    }

    @Test
    void aKeyUsedAfterTheDelivery_isPostponedWithAMailNamingTheServiceAndRegion_thenHeldAfterTheMaximum() {
        Instant now = Instant.now();
        AccessKey oldKey = rotatedWithSecret("mallory", now);
        useKey(oldKey);
        Map<String, String> holdAfterOne = Map.of("MAX_POSTPONEMENTS", "1", "IN_USE_POLICY", "hold");

        Map<String, Object> first = expire(now.minus(Duration.ofSeconds(30)), holdAfterOne);

        assertThat(expired(first)).singleElement().satisfies(entry -> assertThat(entry)
                .containsEntry("keyDeleted", false).containsEntry("recordState", "pending_deletion"));
        assertThat(account.sentMailsTo("mallory@example.com")).last().satisfies(mail -> {
            assertThat(mail.subject()).contains("still in use");
            assertThat(mail.body()).containsPattern("Service: \\S+").containsPattern("Region: \\S+")
                    .contains("Postponed to: " + dev.ikr.message.MessageRenderer.mailDate(
                            now.minus(Duration.ofSeconds(30)).plus(Duration.ofDays(3))));
        });

        useKey(oldKey);
        Map<String, Object> second = expire(now.plus(Duration.ofDays(4)), holdAfterOne);

        assertThat(expired(second)).singleElement().satisfies(entry -> assertThat(entry)
                .containsEntry("keyDeleted", false).containsEntry("recordState", "needs_attention"));
        assertThat(account.keyIds("mallory")).contains(oldKey.accessKeyId());
    }

    @Test
    void aKeyUsedAfterTheDelivery_isDeletedAllTheSame_whenPostponementsAreOff_andTheMailSaysWhereItWasUsed() {
        Instant now = Instant.now();
        AccessKey oldKey = rotatedWithSecret("niaj", now);
        useKey(oldKey);

        expire(now.minus(Duration.ofSeconds(30)), Map.of("MAX_POSTPONEMENTS", "0"));

        assertThat(account.keyIds("niaj")).hasSize(1).doesNotContain(oldKey.accessKeyId());
        assertThat(account.sentMailsTo("niaj@example.com")).last().satisfies(mail ->
                assertThat(mail.body()).contains("still in use", oldKey.accessKeyId()));
    }

    // --- helpers ---------------------------------------------------------------------------------

    /**
     * A tagged user whose only key, returned with its secret, is rotated; its pending deletion is then sealed again as
     * if the rotation had started an hour before {@code now} and were due a minute before it, so that a use of the key
     * now (moto records real times) comes after the delivery.
     */
    private AccessKey rotatedWithSecret(String user, Instant now) {
        account.createUser(user, Map.of("IKR:EMAIL", user + "@example.com"));
        AccessKey key = account.aws().iam().createAccessKey(request -> request.userName(user)).accessKey();
        new RotatorHandler(RotatorConfig.from(env(Map.of())), clients, clockAt(rotatedAt))
                .handleRequest(Map.of(), context());
        assertThat(account.keyIds(user)).hasSize(2);
        RotationRecord scheduled = RotationTableItems.toRecord(account.item(user, key.accessKeyId()).orElseThrow());
        account.putSealed(new RotationRecord(user, key.accessKeyId(), scheduled.email(), scheduled.state(),
                scheduled.newKeyId(), Optional.of(now.minus(Duration.ofMinutes(1))), now.minus(Duration.ofHours(1)), 0,
                Optional.empty()));
        return key;
    }

    /** One request signed with {@code key}: IAM (moto) records it as the key's last use. */
    private static void useKey(AccessKey key) {
        try (IamClient iam = IamClient.builder().endpointOverride(Moto.shared().endpoint())
                .region(Region.of(Moto.REGION)).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey())))
                .build()) {
            iam.listUsers();
        }
    }

    private String rotatedUser(String user) {
        return rotatedUser(user, Map.of());
    }

    /** Creates a tagged user with one key and rotates it at {@link #rotatedAt}; returns the old key. */
    private String rotatedUser(String user, Map<String, String> overrides) {
        account.createUser(user, Map.of("IKR:EMAIL", user + "@example.com"));
        String oldKey = account.createKey(user);
        var env = env(overrides);
        new RotatorHandler(RotatorConfig.from(env), clients, clockAt(rotatedAt))
                .handleRequest(Map.of(), context());
        assertThat(account.keyIds(user)).hasSize(2);
        return oldKey;
    }

    /** The access key id in the last new-key mail to {@code user}, decrypted with the key in SSM now. */
    private String decryptedKeyIdOfTheLastMailTo(String user) {
        String body = account.sentMailsTo(user + "@example.com").stream()
                .filter(mail -> mail.subject().contains("new AWS access key")).reduce((a, b) -> b).orElseThrow().body();
        Matcher token = Pattern.compile("--access-key (\\S+)").matcher(body);
        assertThat(token.find()).as("an encrypted key id in the mail").isTrue();
        EncryptionKey key = EncryptionKey.fromEncoded(account.parameter("/ikr/secret/iam/" + user).orElseThrow());
        return new Fernet(Clock.systemUTC(), new SecureRandom()).decrypt(key, token.group(1));
    }

    private String otherKey(String user, String key) {
        return account.keyIds(user).stream().filter(id -> !id.equals(key)).findFirst().orElseThrow();
    }

    private Map<String, Object> expire(Instant at, Map<String, String> overrides) {
        return new Expiry(clients, TestAccount.TABLE).run(at, destructorAt(at, overrides), context());
    }

    private DestructorHandler destructor(Map<String, String> overrides) {
        return destructorAt(Instant.now(), overrides);
    }

    private DestructorHandler destructorAt(Instant at, Map<String, String> overrides) {
        return new DestructorHandler(DestructorConfig.from(env(overrides)), clients, clockAt(at));
    }

    private Map<String, String> env(Map<String, String> overrides) {
        var env = new HashMap<String, String>(account.tableVariables());
        env.putAll(overrides);
        return env;
    }

    private static Clock clockAt(Instant at) {
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), at));
    }

    private static LocalContext context() {
        return LocalContext.forAccount("ikr", Moto.REGION, Moto.ACCOUNT_ID);
    }

    private static Record remove(String sequenceNumber, Map<String, AttributeValue> oldImage) {
        return Record.builder().eventID("event-" + sequenceNumber).eventName(OperationType.REMOVE)
                .awsRegion(Moto.REGION).eventVersion("1.1")
                .dynamodb(StreamRecord.builder().sequenceNumber(sequenceNumber)
                        .keys(Map.of("user", oldImage.get("user"), "ak", oldImage.get("ak")))
                        .oldImage(oldImage).sizeBytes(100L).streamViewType("NEW_AND_OLD_IMAGES").build())
                .build();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> expired(Map<String, Object> result) {
        return (List<Map<String, Object>>) result.get("expired");
    }
}
