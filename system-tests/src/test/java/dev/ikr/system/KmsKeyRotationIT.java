package dev.ikr.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ikr.aws.AwsClients;
import dev.ikr.cli.Expiry;
import dev.ikr.config.DestructorConfig;
import dev.ikr.config.RotatorConfig;
import dev.ikr.destructor.DestructorHandler;
import dev.ikr.local.LocalContext;
import dev.ikr.rotation.Rotator;
import dev.ikr.rotator.RotationRunFailedException;
import dev.ikr.rotator.RotatorHandler;
import dev.ikr.rotator.RotatorWiring;
import dev.ikr.testbed.FaultInjector;
import dev.ikr.testbed.LogCapture;
import dev.ikr.testbed.Moto;
import dev.ikr.testbed.TestAccount;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.Tag;
import software.amazon.awssdk.services.kms.model.UpdateAliasRequest;

/**
 * The KMS keys' rotation against moto, with the real handlers: one account with keys of every kind, set up once,
 * then the runs a deployment makes in order (a plan, a rotation in which one {@code UpdateAlias} fails, a run in which
 * the users cannot be listed, a run that changes nothing, the expiry of the old keys, a forged item). Faults come from
 * an in-process injector, which fails a call at once; the fault matrix ({@code FaultToleranceIT}) fails every KMS call
 * on the wire. Each test checks what its step
 * left in KMS, the table and the mailbox.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KmsKeyRotationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OWNER = "owner@example.com";
    private static final Pattern PEM = Pattern.compile("-----BEGIN PUBLIC KEY-----(.*?)-----END PUBLIC KEY-----",
            Pattern.DOTALL);
    private static final int PENDING_WINDOW_DAYS = 10;

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    private final TestAccount account = new TestAccount(Moto.shared());
    private final Instant runAt = Instant.now().plus(Duration.ofDays(400));
    private final Map<String, String> keyIds = new HashMap<>();
    private final Map<String, String> policies = new HashMap<>();
    private final FaultInjector faults = new FaultInjector();
    private final AwsClients clients = new AwsClients(List.of(faults));
    private KmsClient kms;
    private String aliceKey;

    @BeforeAll
    void anAccountWithKeysOfEveryKind() {
        Moto.shared().reset();
        account.createTable().verifySender();
        kms = account.aws().kms();
        account.createUser("alice", Map.of("IKR:EMAIL", "alice@example.com"));
        aliceKey = account.createKey("alice");
        Map<String, String> owned = Map.of("IKR:EMAIL", OWNER, "team", "payments",
                "IKR:INSTRUCTION_0", "Publish the new public key to the verifiers");
        key("rsa", KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY, owned, "alias/app-signing");
        key("ecc", KeySpec.ECC_NIST_P256, KeyUsageType.SIGN_VERIFY, owned, "alias/ecc-b", "alias/ecc-a");
        key("hmac", KeySpec.HMAC_256, KeyUsageType.GENERATE_VERIFY_MAC, owned, "alias/webhook-mac");
        key("flaky", KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY, owned, "alias/flaky-1", "alias/flaky-2");
        key("symmetric", KeySpec.SYMMETRIC_DEFAULT, KeyUsageType.ENCRYPT_DECRYPT, owned, "alias/data");
        key("noAlias", KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY, owned);
        key("untagged", KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY, Map.of("team", "payments"), "alias/untagged");
        keyIds.put("multiRegion", kms.createKey(request -> request.keySpec(KeySpec.RSA_2048)
                .keyUsage(KeyUsageType.SIGN_VERIFY).multiRegion(true).tags(tags(owned))).keyMetadata().keyId());
        alias("alias/multi-region", keyIds.get("multiRegion"));
        keyIds.put("imported", kms.createKey(request -> request.keySpec(KeySpec.RSA_2048)
                .keyUsage(KeyUsageType.SIGN_VERIFY).origin(OriginType.EXTERNAL).tags(tags(owned))).keyMetadata()
                .keyId());
        alias("alias/imported", keyIds.get("imported"));
        key("disabled", KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY, owned, "alias/disabled");
        kms.disableKey(request -> request.keyId(keyIds.get("disabled")));
    }

    @Test
    @Order(1)
    void plan_listsEveryKeyWithItsDecision_andChangesNothing() {
        var summary = RotatorWiring.rotator(RotatorConfig.from(rotatorEnv()), clients, clockAt(runAt))
                .run(Moto.ACCOUNT_ID, Rotator.Mode.PLAN);

        Map<String, String> actions = new TreeMap<>();
        summary.kmsKeys().orElseThrow().forEach(outcome -> actions.put(outcome.keyId(), outcome.action().code()));
        for (String rotated : List.of("rsa", "ecc", "hmac", "flaky")) {
            assertThat(actions).containsEntry(keyIds.get(rotated), "would_rotate");
        }
        assertThat(actions).containsEntry(keyIds.get("noAlias"), "skipped");
        assertThat(keysRotatedFrom(keyIds.get("rsa"))).isEmpty();
        assertThat(account.rotationItems()).isEmpty();
    }

    @Test
    @Order(2)
    void firstRun_movesTheAliasesOfRsaEccAndHmacKeys_toANewKeyWithTheSameSpecUsagePolicyAndTags() {
        // the fault matrix (FaultToleranceIT) fails UpdateAlias on the wire; here KMS refuses one alias at once
        faults.fail("UpdateAlias", request -> request instanceof UpdateAliasRequest update
                && update.aliasName().equals("alias/flaky-2"));
        try {
            rotate(runAt, true);
        } finally {
            faults.heal();
        }

        for (String name : List.of("rsa", "ecc", "hmac")) {
            String old = keyIds.get(name);
            KeyMetadata oldKey = describe(old);
            String created = aliasTarget(aliasesOf(name).getFirst());
            assertThat(created).as(name).isNotEqualTo(old);
            KeyMetadata newKey = describe(created);
            assertThat(newKey.keySpec()).as(name).isEqualTo(oldKey.keySpec());
            assertThat(newKey.keyUsage()).as(name).isEqualTo(oldKey.keyUsage());
            assertThat(newKey.description()).as(name).isEqualTo(oldKey.description());
            assertThat(json(policy(created))).as(name).isEqualTo(json(policies.get(name)));
            Map<String, String> expectedTags = new TreeMap<>(tagsOf(old));
            expectedTags.put("IKR:ROTATED_FROM", old);
            assertThat(tagsOf(created)).as(name).isEqualTo(expectedTags);
            assertThat(oldKey.keyStateAsString()).as("the old key stays enabled until its retirement")
                    .isEqualTo("Enabled");
            assertThat(account.item(aliasesOf(name).getFirst(), old)).as(name).hasValueSatisfying(item -> {
                assertThat(item.get("kind").s()).isEqualTo("kms_key");
                assertThat(item.get("state").s()).isEqualTo("pending_deletion");
                assertThat(item.get("new_ak").s()).isEqualTo(created);
                assertThat(item.get("aliases").s()).isEqualTo(String.join(",", aliasesOf(name)));
                assertThat(Long.parseLong(item.get("delete_on").n()))
                        .isCloseTo(runAt.plus(Duration.ofDays(5)).getEpochSecond(), within(60L));
                assertThat(item).containsKeys("mac", "mac_key");
            });
        }
        String eccKey = aliasTarget("alias/ecc-a");
        assertThat(aliasTarget("alias/ecc-b")).as("both aliases of the ECC key moved").isEqualTo(eccKey)
                .isNotEqualTo(keyIds.get("ecc"));
    }

    @Test
    @Order(3)
    void firstRun_mailsTheOwner_theNewPublicKeyAsGetPublicKeyGivesIt_andTheAliasesAndKeys() {
        for (String name : List.of("rsa", "ecc")) {
            String created = aliasTarget(aliasesOf(name).getFirst());
            TestAccount.SentMail mail = mailAbout(aliasesOf(name).getFirst());
            Matcher pem = PEM.matcher(mail.body());
            assertThat(pem.find()).as("a PEM in the mail about %s", name).isTrue();
            byte[] mailed = Base64.getMimeDecoder().decode(pem.group(1).replaceAll("<[^>]*>", "").strip());
            byte[] published = kms.getPublicKey(request -> request.keyId(created)).publicKey().asByteArray();
            assertThat(mailed).as(name).isEqualTo(published);
            assertThat(mail.body()).contains(describe(created).arn(), describe(keyIds.get(name)).arn())
                    .contains("must take this one").contains("Publish the new public key to the verifiers");
        }
        assertThat(mailAbout("alias/ecc-a").body()).contains("alias/ecc-b");
        assertThat(mailAbout("alias/webhook-mac").body()).doesNotContain("BEGIN PUBLIC KEY")
                .contains(describe(aliasTarget("alias/webhook-mac")).arn());
    }

    @Test
    @Order(4)
    void firstRun_neverTouchesTheKeysItCannotRotate_andReportsEachWithItsReason() {
        Map<String, String> expected = Map.of("symmetric", "symmetric", "noAlias", "no_alias",
                "untagged", "not_enrolled", "multiRegion", "multi_region", "imported", "imported_material",
                "disabled", "not_enabled");
        JsonNode entries = lastSummary.path("kmsKeys");
        expected.forEach((name, reason) -> {
            JsonNode entry = entryOf(entries, keyIds.get(name));
            assertThat(entry.path("action").asText()).as(name).isEqualTo("skipped");
            assertThat(entry.path("reason").asText()).as(name).startsWith(reason + ":");
            assertThat(keysRotatedFrom(keyIds.get(name))).as("no key was created for %s", name).isEmpty();
        });
        assertThat(aliasTarget("alias/data")).isEqualTo(keyIds.get("symmetric"));
        assertThat(aliasTarget("alias/untagged")).isEqualTo(keyIds.get("untagged"));
        assertThat(aliasTarget("alias/multi-region")).isEqualTo(keyIds.get("multiRegion"));
        assertThat(aliasTarget("alias/imported")).isEqualTo(keyIds.get("imported"));
        assertThat(describe(keyIds.get("disabled")).keyStateAsString()).isEqualTo("Disabled");
        assertThat(entryOf(entries, keyIds.get("rsa")).path("action").asText()).isEqualTo("rotated");
    }

    @Test
    @Order(5)
    void aFailedUpdateAlias_movesTheAliasesBack_schedulesTheNewKeysDeletionIn7Days_andTheUsersRotateAllTheSame() {
        String flaky = keyIds.get("flaky");
        JsonNode entry = entryOf(lastSummary.path("kmsKeys"), flaky);

        assertThat(entry.path("action").asText()).isEqualTo("failed");
        assertThat(entry.path("reason").asText()).contains("moving the aliases failed")
                .contains("scheduled for deletion in 7 days");
        assertThat(aliasTarget("alias/flaky-1")).isEqualTo(flaky);
        assertThat(aliasTarget("alias/flaky-2")).isEqualTo(flaky);
        List<String> withdrawn = keysRotatedFrom(flaky);
        assertThat(withdrawn).singleElement().satisfies(created -> {
            KeyMetadata metadata = describe(created);
            assertThat(metadata.keyStateAsString()).isEqualTo("PendingDeletion");
            assertThat(Duration.between(Instant.now(), metadata.deletionDate()).toHours())
                    .isBetween(7L * 24 - 1, 7L * 24);
        });
        assertThat(account.item("alias/flaky-1", flaky)).as("no item is left for the failed key").isEmpty();
        assertThat(lastSummary.path("users").toString()).contains("\"user\":\"alice\",\"action\":\"rotated\"");
        assertThat(account.keyIds("alice")).hasSize(2).contains(aliceKey);
        assertThat(logs.all()).doesNotContain("BEGIN PUBLIC KEY");
    }

    @Test
    @Order(6)
    void aLaterRun_retriesTheFailedKey_evenWhenTheUsersCannotBeListed() {
        List<String> before = allKeyIds();
        faults.fail("GetAccountAuthorizationDetails");
        try {
            rotate(runAt.plus(Duration.ofHours(1)), true);
        } finally {
            faults.heal();
        }

        String created = aliasTarget("alias/flaky-1");
        assertThat(created).isNotEqualTo(keyIds.get("flaky"));
        assertThat(aliasTarget("alias/flaky-2")).isEqualTo(created);
        assertThat(describe(created).keyStateAsString()).isEqualTo("Enabled");
        assertThat(allKeyIds()).as("one new key: the flaky key's").hasSize(before.size() + 1);
    }

    @Test
    @Order(7)
    void aRunWithNothingDue_changesNothing() {
        List<String> before = allKeyIds();
        Map<String, String> aliasesBefore = allAliases();
        int mailsBefore = account.sentMails().size();

        rotate(runAt.plus(Duration.ofHours(2)), false);

        assertThat(allKeyIds()).isEqualTo(before);
        assertThat(allAliases()).isEqualTo(aliasesBefore);
        assertThat(account.sentMails()).hasSize(mailsBefore);
        JsonNode entries = lastSummary.path("kmsKeys");
        for (JsonNode entry : entries) {
            assertThat(entry.path("action").asText()).as("%s", entry).isEqualTo("skipped");
        }
        assertThat(entryOf(entries, keyIds.get("rsa")).path("reason").asText()).startsWith("retiring:");
        assertThat(entryOf(entries, aliasTarget("alias/app-signing")).path("reason").asText())
                .startsWith("rotation_in_progress:");
    }

    @Test
    @Order(8)
    void expiry_disablesTheOldKeys_andSchedulesTheirDeletionWithTheConfiguredWindow_butKeepsOneAnAliasPointsAtAgain() {
        String hmacOld = keyIds.get("hmac");
        alias("alias/legacy-mac", hmacOld);
        Instant expiresAt = runAt.plus(Duration.ofDays(6));

        Map<String, Object> result = new Expiry(account.aws(), TestAccount.TABLE).run(expiresAt,
                new DestructorHandler(DestructorConfig.from(destructorEnv()), new AwsClients(), clockAt(expiresAt)),
                context());

        assertThat((List<?>) result.get("batchItemFailures")).isEmpty();
        for (String name : List.of("rsa", "ecc", "flaky")) {
            KeyMetadata old = describe(keyIds.get(name));
            assertThat(old.keyStateAsString()).as(name).isEqualTo("PendingDeletion");
            assertThat(Duration.between(Instant.now(), old.deletionDate()).toHours()).as(name)
                    .isBetween(PENDING_WINDOW_DAYS * 24L - 1, PENDING_WINDOW_DAYS * 24L);
            assertThat(account.item(aliasesOf(name).getFirst(), keyIds.get(name))).as(name).isEmpty();
        }
        assertThat(account.sentMails()).anySatisfy(mail -> {
            assertThat(mail.subject()).contains("old KMS key " + keyIds.get("rsa") + " scheduled for deletion");
            assertThat(mail.body()).contains("aws kms cancel-key-deletion --key-id " + keyIds.get("rsa"))
                    .contains("aws kms enable-key --key-id " + keyIds.get("rsa"));
        });

        assertThat(describe(hmacOld).keyStateAsString()).as("an alias points at it again").isEqualTo("Enabled");
        assertThat(account.item("alias/webhook-mac", hmacOld)).hasValueSatisfying(item -> {
            assertThat(item.get("state").s()).isEqualTo("needs_attention");
            assertThat(item.get("reason").s()).contains("alias/legacy-mac");
            assertThat(item).doesNotContainKey("delete_on");
        });
        assertThat(account.sentMailsTo(OWNER)).anySatisfy(mail ->
                assertThat(mail.subject()).contains("action needed for the old KMS key " + hmacOld));
    }

    @Test
    @Order(9)
    void aKmsItemIkrDidNotSeal_isReportedUnverifiedForItsKey_andNeverRetiresIt() {
        String victim = keyIds.get("noAlias");
        Instant due = runAt.plus(Duration.ofDays(6));
        account.putItem(Map.of("user", AttributeValue.fromS("alias/forged"), "ak", AttributeValue.fromS(victim),
                "kind", AttributeValue.fromS("kms_key"), "aliases", AttributeValue.fromS("alias/forged"),
                "email", AttributeValue.fromS("thief@example.net"), "state", AttributeValue.fromS("pending_deletion"),
                "new_ak", AttributeValue.fromS(keyIds.get("untagged")), "started_at", AttributeValue.fromS(
                        runAt.toString()), "delete_on", AttributeValue.fromN(Long.toString(due.getEpochSecond()))));

        var plan = RotatorWiring.rotator(RotatorConfig.from(rotatorEnv()), clients, clockAt(due))
                .run(Moto.ACCOUNT_ID, Rotator.Mode.PLAN);
        Map<String, Object> expired = new Expiry(account.aws(), TestAccount.TABLE).run(due.plus(Duration.ofHours(1)),
                new DestructorHandler(DestructorConfig.from(destructorEnv()), new AwsClients(), clockAt(due)),
                context());

        assertThat(plan.kmsKeys().orElseThrow()).filteredOn(outcome -> outcome.keyId().equals(victim))
                .singleElement().satisfies(outcome -> {
                    assertThat(outcome.action().code()).isEqualTo("unverified_record");
                    assertThat(outcome.reason()).contains("alias/forged").contains("not written by IKR");
                });
        assertThat((List<?>) expired.get("batchItemFailures")).isEmpty();
        assertThat(describe(victim).keyStateAsString()).isEqualTo("Enabled");
        assertThat(logs.all()).contains("\"result\":\"unverified_record\"");
        assertThat(account.sentMailsTo("thief@example.net")).isEmpty();
    }

    // --- the runs -------------------------------------------------------------------------------------------

    private JsonNode lastSummary;

    private void rotate(Instant at, boolean mayFail) {
        Map<String, Object> summary;
        try {
            summary = new RotatorHandler(RotatorConfig.from(rotatorEnv()), clients, clockAt(at))
                    .handleRequest(Map.of(), context());
        } catch (RotationRunFailedException failed) {
            assertThat(mayFail).as("the run failed: %s", failed.getMessage()).isTrue();
            summary = failed.summary();
        } catch (RuntimeException usersFailed) {
            assertThat(mayFail).as("the run failed: %s", usersFailed).isTrue();
            summary = Map.of();
        }
        lastSummary = JSON.valueToTree(summary);
    }

    private Map<String, String> rotatorEnv() {
        var env = new HashMap<>(account.tableVariables());
        env.put("ROTATE_KMS_KEYS", "true");
        env.put("ACCOUNT_ID", Moto.ACCOUNT_ID);
        return env;
    }

    private Map<String, String> destructorEnv() {
        var env = new HashMap<>(account.tableVariables());
        env.put("KMS_PENDING_WINDOW_DAYS", Integer.toString(PENDING_WINDOW_DAYS));
        env.put("ACCOUNT_ID", Moto.ACCOUNT_ID);
        return env;
    }

    private static Clock clockAt(Instant at) {
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), at));
    }

    private static LocalContext context() {
        return LocalContext.forAccount("ikr", Moto.REGION, Moto.ACCOUNT_ID);
    }

    // --- the account ------------------------------------------------------------------------------------------

    private final Map<String, List<String>> aliasNames = new HashMap<>();

    private void key(String name, KeySpec spec, KeyUsageType usage, Map<String, String> tags, String... aliases) {
        String policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"Owner" + name + "\","
                + " \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::" + Moto.ACCOUNT_ID + ":root\"},"
                + " \"Action\": \"kms:*\", \"Resource\": \"*\"}]}";
        String id = kms.createKey(request -> request.keySpec(spec).keyUsage(usage).description("the " + name + " key")
                .policy(policy).tags(tags(tags))).keyMetadata().keyId();
        keyIds.put(name, id);
        policies.put(name, policy);
        List<String> sorted = new ArrayList<>(List.of(aliases));
        sorted.sort(null);
        aliasNames.put(name, sorted);
        sorted.forEach(alias -> alias(alias, id));
    }

    private List<String> aliasesOf(String name) {
        return aliasNames.get(name);
    }

    private void alias(String alias, String keyId) {
        kms.createAlias(request -> request.aliasName(alias).targetKeyId(keyId));
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream().map(tag -> Tag.builder().tagKey(tag.getKey()).tagValue(tag.getValue())
                .build()).toList();
    }

    private String aliasTarget(String alias) {
        return kms.listAliases().aliases().stream().filter(entry -> entry.aliasName().equals(alias)).findFirst()
                .orElseThrow().targetKeyId();
    }

    private Map<String, String> allAliases() {
        Map<String, String> all = new TreeMap<>();
        kms.listAliases().aliases().forEach(entry -> all.put(entry.aliasName(), String.valueOf(entry.targetKeyId())));
        return all;
    }

    private List<String> allKeyIds() {
        return kms.listKeys().keys().stream().map(key -> key.keyId()).sorted().toList();
    }

    private KeyMetadata describe(String keyId) {
        return kms.describeKey(request -> request.keyId(keyId)).keyMetadata();
    }

    private String policy(String keyId) {
        return kms.getKeyPolicy(request -> request.keyId(keyId).policyName("default")).policy();
    }

    private Map<String, String> tagsOf(String keyId) {
        Map<String, String> tags = new TreeMap<>();
        kms.listResourceTags(request -> request.keyId(keyId)).tags().forEach(tag -> tags.put(tag.tagKey(),
                tag.tagValue()));
        return tags;
    }

    private List<String> keysRotatedFrom(String oldKeyId) {
        return allKeyIds().stream().filter(id -> oldKeyId.equals(tagsOf(id).get("IKR:ROTATED_FROM"))).toList();
    }

    private TestAccount.SentMail mailAbout(String alias) {
        return account.sentMailsTo(OWNER).stream().filter(mail -> mail.subject().contains("KMS key " + alias
                + " rotated")).reduce((first, second) -> second).orElseThrow(() -> new AssertionError(
                "no mail about " + alias + " among " + account.sentMailsTo(OWNER).stream()
                        .map(TestAccount.SentMail::subject).toList()));
    }

    private static JsonNode entryOf(JsonNode entries, String keyId) {
        for (JsonNode entry : entries) {
            if (entry.path("keyId").asText().equals(keyId)) {
                return entry;
            }
        }
        throw new AssertionError("no entry for key " + keyId + " in " + entries);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
