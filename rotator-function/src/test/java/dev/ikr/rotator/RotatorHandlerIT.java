package dev.ikr.rotator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ikr.aws.AwsClients;
import dev.ikr.aws.DynamoPendingDeletions;
import dev.ikr.aws.IamDirectory;
import dev.ikr.aws.KmsRecordAuthenticator;
import dev.ikr.aws.SesMailer;
import dev.ikr.aws.SsmSecretStore;
import dev.ikr.config.RotatorConfig;
import dev.ikr.local.LocalContext;
import dev.ikr.message.MessageRenderer;
import dev.ikr.metrics.FunctionMetrics;
import dev.ikr.rotation.Rotator;
import dev.ikr.testbed.EmfLines;
import dev.ikr.testbed.LogCapture;
import dev.ikr.testbed.Moto;
import dev.ikr.testbed.MotoExtension;
import dev.ikr.testbed.PythonFernet;
import dev.ikr.testbed.TestAccount.SentMail;
import dev.ikr.testbed.TestAccount;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The real rotator handler against moto over HTTP: what a key owner and an operator would see. */
@ExtendWith(MotoExtension.class)
class RotatorHandlerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOKEN = Pattern.compile("gAAAAA[A-Za-z0-9_=-]+");

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    private final TestAccount account = new TestAccount(Moto.shared());
    private final Clock hundredDaysLater = Clock.offset(Clock.systemUTC(), Duration.ofDays(100));

    @BeforeEach
    void setUp() {
        account.createTable().verifySender();
    }

    @Test
    void rotatesKey_whenOlderThanRotateAfterDays_andMailsItEncrypted() throws Exception {
        account.createUser("alice", Map.of("IKR:EMAIL", "alice@example.com"));
        String oldKey = account.createKey("alice");

        Map<String, Object> response = invoke(config(Map.of()), hundredDaysLater);

        List<String> keys = account.keyIds("alice");
        assertThat(keys).hasSize(2).contains(oldKey);
        String newKey = keys.stream().filter(id -> !id.equals(oldKey)).findFirst().orElseThrow();
        assertThat(userEntry(response, "alice")).containsEntry("action", "rotated")
                .containsEntry("oldKeyId", oldKey).containsEntry("newKeyId", newKey);

        Map<String, AttributeValue> item = account.item("alice", oldKey).orElseThrow();
        assertThat(item.get("state").s()).isEqualTo("pending_deletion");
        assertThat(item.get("new_ak").s()).isEqualTo(newKey);
        assertThat(item.get("email").s()).isEqualTo("alice@example.com");
        long expectedDeleteOn = hundredDaysLater.instant().plus(Duration.ofDays(5)).getEpochSecond();
        assertThat(Long.parseLong(item.get("delete_on").n())).isBetween(expectedDeleteOn - 60, expectedDeleteOn);

        assertThat(account.parameterType("/ikr/secret/iam/alice")).contains("SecureString");
        String encryptionKey = account.parameter("/ikr/secret/iam/alice").orElseThrow();
        SentMail mail = single(account.sentMailsTo("alice@example.com"));
        assertThat(mail.from()).isEqualTo(TestAccount.SENDER);
        assertThat(mail.subject()).contains("alice").contains(Moto.ACCOUNT_ID);
        assertThat(mail.body()).contains(newKey).contains(oldKey).contains("/ikr/secret/iam/alice")
                .contains("scripts/ikr decrypt --user alice");
        List<String> tokens = tokens(mail.body());
        assertThat(tokens).hasSizeGreaterThanOrEqualTo(2);
        assertThat(PythonFernet.decrypt(encryptionKey, tokens.get(0))).isEqualTo(newKey);
        String secret = PythonFernet.decrypt(encryptionKey, tokens.get(1));
        assertThat(secret).hasSize(40);

        assertNoSecretAnywhere(secret, encryptionKey, response);
        assertThat(logs.lines()).anyMatch(line -> line.contains("\"user\":\"alice\"") && line.contains("rotated"));
    }

    @Test
    void writesTheRunsMetrics_asOneEmbeddedMetricFormatLineOnStandardOutput() {
        account.createUser("alice", Map.of("IKR:EMAIL", "alice@example.com"));
        account.createKey("alice");
        account.createUser("bob", Map.of("IKR:EMAIL", "bob@example.com"));
        account.createKey("bob");
        account.createUser("carol", Map.of("IKR:EMAIL", "carol@example.com"));

        Map<String, Object> response = invoke(config(Map.of()), hundredDaysLater);

        JsonNode run = single(EmfLines.documents(logs.standardOutput()));
        JsonNode directive = run.path("_aws").path("CloudWatchMetrics").path(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo("IKR");
        assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"FunctionName\"]]");
        assertThat(run.path("FunctionName").asText()).isEqualTo("ikr-rotator");
        assertThat(run.path("_aws").path("Timestamp").asLong())
                .as("the real time, not the run's clock").isCloseTo(System.currentTimeMillis(), within(60_000L));
        assertThat(EmfLines.metrics(run)).containsEntry("Rotated", 2L).containsEntry("Skipped", 1L)
                .containsEntry("Failed", 0L).containsEntry("NeedsAttention", 0L).containsEntry("WouldRotate", 0L)
                .containsEntry("AwsCalls", ((Number) response.get("totalAwsCalls")).longValue())
                .containsEntry("RunFailed", 0L).containsKey("RunDuration");
        assertThat(logs.standardOutput()).as("nothing but the metrics line on standard output").hasSize(1);
        assertThat(logs.standardOutput().getFirst()).doesNotContain("alice", "bob", "AKIA");
    }

    @Test
    void writesTheRunsMetrics_whenTheRunItselfFails() {
        assertThatThrownBy(() -> invoke(config(Map.of("IAM_KEY_ROTATOR_TABLE", "no-such-table")), hundredDaysLater))
                .hasMessageContaining("no-such-table");

        JsonNode run = single(EmfLines.documents(logs.standardOutput()));
        assertThat(EmfLines.metrics(run)).containsOnlyKeys("AwsCalls", "RunDuration", "RunFailed")
                .containsEntry("RunFailed", 1L);
    }

    @Test
    void mailsThePlainSecret_whenEncryptionIsOff() {
        account.createUser("bob", Map.of("IKR:EMAIL", "bob@example.com"));
        String oldKey = account.createKey("bob");

        Map<String, Object> response = invoke(config(Map.of("ENCRYPT_KEY_PAIR", "false")), hundredDaysLater);

        assertThat(userEntry(response, "bob")).containsEntry("action", "rotated");
        assertThat(account.parameter("/ikr/secret/iam/bob")).isEmpty();
        SentMail mail = single(account.sentMailsTo("bob@example.com"));
        assertThat(mail.body()).contains("aws_secret_access_key").doesNotContain("gAAAAA");
        Matcher secret = Pattern.compile("aws_secret_access_key = ([A-Za-z0-9/+]{40})").matcher(mail.body());
        assertThat(secret.find()).isTrue();
        assertThat(account.item("bob", oldKey)).isPresent();
        assertNoSecretAnywhere(secret.group(1), secret.group(1), response);
    }

    @Test
    void leavesKeyAlone_whenYoungerThanTheLimit_andChangesNothing() {
        account.createUser("carol", Map.of("IKR:EMAIL", "carol@example.com"));
        String key = account.createKey("carol");

        Map<String, Object> response = invoke(config(Map.of()), Clock.offset(Clock.systemUTC(), Duration.ofDays(84)));

        assertThat(userEntry(response, "carol")).containsEntry("action", "skipped");
        assertThat((String) userEntry(response, "carol").get("reason")).startsWith("not_due");
        assertThat(account.keyIds("carol")).containsExactly(key);
        assertThat(account.items()).isEmpty();
        assertThat(account.sentMails()).isEmpty();
    }

    @Test
    void rotatesAtExactlyTheLimit() {
        account.createUser("dave", Map.of("IKR:EMAIL", "dave@example.com"));
        account.createKey("dave");

        Map<String, Object> response = invoke(config(Map.of()),
                Clock.offset(Clock.systemUTC(), Duration.ofDays(85).plusMinutes(1)));

        assertThat(userEntry(response, "dave")).containsEntry("action", "rotated");
        assertThat(account.keyIds("dave")).hasSize(2);
    }

    @Test
    void skipsUserWithoutKeys() {
        account.createUser("erin", Map.of("IKR:EMAIL", "erin@example.com"));

        Map<String, Object> response = invoke(config(Map.of()), hundredDaysLater);

        assertThat(userEntry(response, "erin")).containsEntry("action", "skipped");
        assertThat(account.keyIds("erin")).isEmpty();
        assertThat(account.sentMails()).isEmpty();
    }

    @Test
    void neverIssuesAnActiveKey_whenTheOnlyKeyWasMadeInactive() {
        account.createUser("frank", Map.of("IKR:EMAIL", "frank@example.com"));
        String key = account.createKey("frank");
        account.deactivateKey("frank", key);

        Map<String, Object> response = invoke(config(Map.of()), hundredDaysLater);

        assertThat(userEntry(response, "frank")).containsEntry("action", "needs_attention");
        assertThat((String) userEntry(response, "frank").get("reason")).startsWith("inactive_key");
        assertThat(account.keyIds("frank")).containsExactly(key);
        assertThat(account.items()).isEmpty();
        assertThat(account.sentMails()).isEmpty();
    }

    @Test
    void deletesNothing_whenTheUserHasTwoKeysUnknownToIkr() {
        account.createUser("grace", Map.of("IKR:EMAIL", "grace@example.com"));
        String first = account.createKey("grace");
        String second = account.createKey("grace");

        Map<String, Object> response = invoke(config(Map.of()), hundredDaysLater);

        assertThat(userEntry(response, "grace")).containsEntry("action", "needs_attention");
        assertThat((String) userEntry(response, "grace").get("reason")).startsWith("unknown_second_key");
        assertThat(account.keyIds("grace")).containsExactlyInAnyOrder(first, second);
        assertThat(account.items()).isEmpty();
        assertThat(logs.lines()).anyMatch(line -> line.contains("\"level\":\"WARN\"") && line.contains("grace"));
    }

    @Test
    void secondRunRightAfterTheFirst_changesNothingAndSendsNoMail() {
        account.createUser("heidi", Map.of("IKR:EMAIL", "heidi@example.com"));
        account.createKey("heidi");
        invoke(config(Map.of()), hundredDaysLater);
        List<String> keysAfterFirst = account.keyIds("heidi");
        var itemsAfterFirst = account.items();

        Map<String, Object> second = invoke(config(Map.of()), hundredDaysLater);

        assertThat(userEntry(second, "heidi")).containsEntry("action", "skipped");
        assertThat((String) userEntry(second, "heidi").get("reason")).startsWith("rotation_in_progress");
        assertThat(account.keyIds("heidi")).containsExactlyInAnyOrderElementsOf(keysAfterFirst);
        assertThat(account.items()).isEqualTo(itemsAfterFirst);
        assertThat(account.sentMails()).hasSize(1);
    }

    @Test
    void userTagsOverrideTheEnvironment() {
        account.createUser("ivan", Map.of("IKR:EMAIL", "ivan@example.com", "IKR:ROTATE_AFTER_DAYS", "30",
                "IKR:DELETE_AFTER_DAYS", "2"));
        String ivansKey = account.createKey("ivan");
        account.createUser("judy", Map.of("IKR:EMAIL", "judy@example.com"));
        account.createKey("judy");
        Clock fortyDaysLater = Clock.offset(Clock.systemUTC(), Duration.ofDays(40));

        Map<String, Object> response = invoke(config(Map.of()), fortyDaysLater);

        assertThat(userEntry(response, "ivan")).containsEntry("action", "rotated");
        assertThat(userEntry(response, "judy")).containsEntry("action", "skipped");
        long deleteOn = Long.parseLong(account.item("ivan", ivansKey).orElseThrow().get("delete_on").n());
        long expected = fortyDaysLater.instant().plus(Duration.ofDays(2)).getEpochSecond();
        assertThat(deleteOn).isBetween(expected - 60, expected);
    }

    @Test
    void readsTagKeysInAnyCase_andIgnoresUntaggedUsers() {
        account.createUser("kim", Map.of("ikr:email", "kim@example.com", "Ikr:Rotate_After_Days", "10"));
        account.createKey("kim");
        account.createUser("untagged", Map.of("team", "platform"));
        String untaggedKey = account.createKey("untagged");

        Map<String, Object> response = invoke(config(Map.of()), Clock.offset(Clock.systemUTC(), Duration.ofDays(11)));

        assertThat(userEntry(response, "kim")).containsEntry("action", "rotated");
        assertThat(users(response)).extracting(entry -> entry.get("user")).containsExactly("kim");
        assertThat(account.keyIds("untagged")).containsExactly(untaggedKey);
        @SuppressWarnings("unchecked")
        Map<String, Number> calls = (Map<String, Number>) response.get("awsCalls");
        assertThat(calls.get("iam:ListAccessKeys").intValue()).isEqualTo(1);
        assertThat(calls.get("iam:GetAccountAuthorizationDetails").intValue()).isEqualTo(1);
        assertThat(calls).doesNotContainKey("iam:ListUserTags");
    }

    @Test
    void joinsInstructionsInNumericOrder() {
        var tags = new HashMap<String, String>();
        tags.put("IKR:EMAIL", "leo@example.com");
        tags.put("IKR:INSTRUCTION_10", "step-ten");
        tags.put("IKR:INSTRUCTION_2", "step-two");
        tags.put("IKR:INSTRUCTION_0", "step-zero");
        tags.put("IKR:INSTRUCTION_1", "step-one");
        tags.put("IKR:INSTRUCTION_11", "step-eleven <b>&");
        account.createUser("leo", tags);
        account.createKey("leo");

        invoke(config(Map.of()), hundredDaysLater);

        String body = single(account.sentMailsTo("leo@example.com")).body();
        assertThat(body).containsSubsequence("step-zero", "step-one", "step-two", "step-ten", "step-eleven");
        assertThat(body).contains("step-eleven &lt;b&gt;&amp;").doesNotContain("<b>&");
    }

    @Test
    void failedMail_leavesExactlyTheOldKeyAndNothingScheduled_andTheRunEndsInError() {
        account.createUser("mallory", Map.of("IKR:EMAIL", "mallory@example.com"));
        String oldKey = account.createKey("mallory");
        RotatorConfig unverifiedSender = config(Map.of("MAIL_FROM", "not-verified@example.com"));

        assertThatThrownBy(() -> invoke(unverifiedSender, hundredDaysLater))
                .isInstanceOfSatisfying(RotationRunFailedException.class, failure -> {
                    assertThat(failure.getMessage()).contains("1 user(s) failed");
                    assertThat(userEntry(failure.summary(), "mallory")).containsEntry("action", "failed");
                });

        assertThat(account.keyIds("mallory")).containsExactly(oldKey);
        assertThat(account.items()).isEmpty();
        assertThat(account.sentMails()).isEmpty();
        assertThat(EmfLines.metrics(single(EmfLines.documents(logs.standardOutput()))))
                .containsEntry("Failed", 1L).containsEntry("Rotated", 0L).containsEntry("RunFailed", 1L);

        Map<String, Object> retry = invoke(config(Map.of()), hundredDaysLater);
        assertThat(userEntry(retry, "mallory")).containsEntry("action", "rotated");
        assertThat(account.keyIds("mallory")).hasSize(2);
    }

    @Test
    void runThatDiedAfterCreatingTheKey_isRepairedByTheNextRun() {
        account.createUser("niaj", Map.of("IKR:EMAIL", "niaj@example.com"));
        String oldKey = account.createKey("niaj");
        RotatorConfig config = config(Map.of());
        var clients = new AwsClients();
        Rotator dyingRotator = new Rotator(new IamDirectory(clients.iam()),
                new DynamoPendingDeletions(clients.dynamoDb(), TestAccount.TABLE, new KmsRecordAuthenticator(
                        clients.kms(), clients.ssm(), account.recordKeyArn(), TestAccount.TABLE)),
                new SsmSecretStore(clients.ssm()),
                message -> {
                    throw new LambdaTimedOut();
                },
                new MessageRenderer(), new Rotator.Options(config.policy(), true, 1), hundredDaysLater,
                new SecureRandom());
        var dyingHandler = new RotatorHandler(config, dyingRotator, clients.callCounter(),
                FunctionMetrics.toStandardOutput(config.metricsNamespace()));

        assertThatThrownBy(() -> dyingHandler.handleRequest(Map.of(), context())).isInstanceOf(LambdaTimedOut.class);
        List<String> afterCrash = account.keyIds("niaj");
        assertThat(afterCrash).hasSize(2);
        String undelivered = afterCrash.stream().filter(id -> !id.equals(oldKey)).findFirst().orElseThrow();
        assertThat(account.item("niaj", oldKey).orElseThrow().get("state").s()).isEqualTo("rotating");

        Map<String, Object> response = invoke(config, hundredDaysLater);

        assertThat(userEntry(response, "niaj")).containsEntry("action", "rotated");
        assertThat((String) userEntry(response, "niaj").get("reason")).contains("undelivered key " + undelivered);
        List<String> keys = account.keyIds("niaj");
        assertThat(keys).hasSize(2).contains(oldKey).doesNotContain(undelivered);
        assertThat(account.item("niaj", oldKey).orElseThrow().get("state").s()).isEqualTo("pending_deletion");
        SentMail mail = single(account.sentMailsTo("niaj@example.com"));
        assertThat(mail.body()).contains(undelivered);
    }

    @Test
    void oneMisconfiguredUser_doesNotStopTheOthers() {
        account.createUser("olivia", Map.of("IKR:EMAIL", "olivia@example.com"));
        account.createKey("olivia");
        account.createUser("peggy", Map.of("IKR:EMAIL", "peggy@example.com", "IKR:DELETE_AFTER_DAYS", "abc"));
        String peggysKey = account.createKey("peggy");
        account.createUser("rupert", Map.of("IKR:EMAIL", "rupert@example.com"));
        account.createKey("rupert");

        Map<String, Object> response = invoke(config(Map.of()), hundredDaysLater);

        assertThat(userEntry(response, "olivia")).containsEntry("action", "rotated");
        assertThat(userEntry(response, "rupert")).containsEntry("action", "rotated");
        assertThat(userEntry(response, "peggy")).containsEntry("action", "misconfigured");
        assertThat((String) userEntry(response, "peggy").get("reason")).contains("IKR:DELETE_AFTER_DAYS").contains("abc");
        assertThat(account.keyIds("peggy")).containsExactly(peggysKey);
        assertThat(account.sentMailsTo("peggy@example.com")).isEmpty();
        assertThat(account.sentMails()).hasSize(2);
    }

    @Test
    void reportsABadEmailTag_asMisconfigured() {
        account.createUser("sybil", Map.of("IKR:EMAIL", "not an address"));
        String key = account.createKey("sybil");

        Map<String, Object> response = invoke(config(Map.of()), hundredDaysLater);

        assertThat(userEntry(response, "sybil")).containsEntry("action", "misconfigured");
        assertThat(account.keyIds("sybil")).containsExactly(key);
    }

    @Test
    void reportsUsersWithALookAlikeOfAnIkrTag_asMisconfigured_andCreatesNoKeyForThem() {
        account.createUser("yvonne", Map.of("ıkr:emaıl", "yvonne@attacker.example"));
        String yvonnesKey = account.createKey("yvonne");
        account.createUser("walter", Map.of("IKR:EMAIL", "walter@example.com",
                "IKR:\u0415MAIL", "walter@attacker.example"));
        String waltersKey = account.createKey("walter");
        account.createUser("xavier", Map.of("IKR:EMAIL", "xavier@example.com"));
        account.createKey("xavier");

        Map<String, Object> response = invoke(config(Map.of()), hundredDaysLater);

        assertThat(userEntry(response, "yvonne")).containsEntry("action", "misconfigured");
        assertThat((String) userEntry(response, "yvonne").get("reason"))
                .startsWith("tag 'ıkr:emaıl' looks like IKR:EMAIL but is not");
        assertThat(userEntry(response, "walter")).containsEntry("action", "misconfigured");
        assertThat((String) userEntry(response, "walter").get("reason"))
                .startsWith("tag 'IKR:\u0415MAIL' looks like IKR:EMAIL but is not");
        assertThat(userEntry(response, "xavier")).containsEntry("action", "rotated");
        assertThat(account.keyIds("yvonne")).containsExactly(yvonnesKey);
        assertThat(account.keyIds("walter")).containsExactly(waltersKey);
        assertThat(account.items()).allSatisfy(item -> assertThat(item.get("user").s()).isEqualTo("xavier"));
        assertThat(account.parameter("/ikr/secret/iam/yvonne")).isEmpty();
        assertThat(account.parameter("/ikr/secret/iam/walter")).isEmpty();
        assertThat(account.sentMails()).extracting(SentMail::to).containsExactly(List.of("xavier@example.com"));
        assertThat(logs.lines()).anyMatch(line -> line.contains("\"level\":\"ERROR\"") && line.contains("yvonne")
                && line.contains("misconfigured"));
    }

    @Test
    void reportsAUserWhoseAddressIsOutsideAllowedEmailDomains_asMisconfigured() {
        account.createUser("quentin", Map.of("IKR:EMAIL", "quentin@elsewhere.org"));
        String key = account.createKey("quentin");
        account.createUser("rachel", Map.of("IKR:EMAIL", "rachel@eu.example.com"));
        account.createKey("rachel");

        Map<String, Object> response = invoke(config(Map.of("ALLOWED_EMAIL_DOMAINS", ".example.com")),
                hundredDaysLater);

        assertThat(userEntry(response, "quentin")).containsEntry("action", "misconfigured")
                .containsEntry("reason", "IKR:EMAIL: the address's domain 'elsewhere.org' is not one that"
                        + " ALLOWED_EMAIL_DOMAINS allows");
        assertThat(account.keyIds("quentin")).containsExactly(key);
        assertThat(userEntry(response, "rachel")).containsEntry("action", "rotated");
        assertThat(account.sentMails()).extracting(SentMail::to).containsExactly(List.of("rachel@eu.example.com"));
    }

    @Test
    void takesTheAccountIdFromTheFunctionArn_unlessAccountIdIsSet() {
        account.createUser("trent", Map.of("IKR:EMAIL", "trent@example.com"));
        account.createKey("trent");
        account.createUser("uma", Map.of("IKR:EMAIL", "uma@example.com"));
        account.createKey("uma");

        invoke(config(Map.of("ACCOUNT_ID", "210987654321")), hundredDaysLater);

        assertThat(account.sentMails()).allSatisfy(mail -> assertThat(mail.subject()).contains("210987654321"));
    }

    @Test
    void mailgunRefusal_rollsTheNewKeyBack_andMailgunSuccess_completesTheRotation() throws Exception {
        account.createUser("victor", Map.of("IKR:EMAIL", "victor@example.com"));
        String oldKey = account.createKey("victor");
        account.aws().ssm().putParameter(request -> request.name("/ikr/secret/mailgun").value("key-123")
                .type(software.amazon.awssdk.services.ssm.model.ParameterType.SECURE_STRING));
        var status = new java.util.concurrent.atomic.AtomicInteger(401);
        var posted = new java.util.concurrent.CopyOnWriteArrayList<String>();
        var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v3/mg.example.com/messages", exchange -> {
            posted.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            byte[] answer = (status.get() == 200 ? "{\"id\":\"<1@mg>\",\"message\":\"Queued\"}"
                    : "{\"message\":\"Invalid private key\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        try {
            RotatorConfig mailgun = config(Map.of("MAIL_CLIENT", "mailgun", "MAILGUN_API_URL",
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/v3/mg.example.com"));

            assertThatThrownBy(() -> invoke(mailgun, hundredDaysLater)).isInstanceOfSatisfying(
                    RotationRunFailedException.class, failure -> assertThat((String) userEntry(failure.summary(),
                            "victor").get("reason")).contains("401").contains("Invalid private key")
                            .doesNotContain("key-123"));
            assertThat(account.keyIds("victor")).containsExactly(oldKey);
            assertThat(account.items()).isEmpty();

            status.set(200);
            Map<String, Object> response = invoke(mailgun, hundredDaysLater);

            assertThat(userEntry(response, "victor")).containsEntry("action", "rotated");
            assertThat(account.keyIds("victor")).hasSize(2);
            assertThat(posted).hasSize(2);
            assertThat(posted.getLast()).contains("to=victor%40example.com");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void stopsTakingUsersNearTheTimeLimit_andTheNextRunFinishesThem() {
        for (String user : List.of("wendy", "xavier", "yvonne")) {
            account.createUser(user, Map.of("IKR:EMAIL", user + "@example.com"));
            account.createKey(user);
        }
        var ticking = new TickingClock(Instant.now(), Duration.ofSeconds(20));
        var nearlyOutOfTime = new LocalContext("ikr-rotator", Moto.REGION, Moto.ACCOUNT_ID, Duration.ofSeconds(100),
                ticking);
        var config = config(Map.of("MAX_CONCURRENCY", "1"));

        Map<String, Object> first = new RotatorHandler(config, new AwsClients(), hundredDaysLater)
                .handleRequest(Map.of(), nearlyOutOfTime);

        assertThat(users(first)).extracting(entry -> entry.get("action"))
                .containsExactly("rotated", "deferred", "deferred");
        assertThat(account.sentMails()).hasSize(1);

        Map<String, Object> next = invoke(config, hundredDaysLater);

        assertThat(users(next)).extracting(entry -> entry.get("action"))
                .containsExactly("skipped", "rotated", "rotated");
        assertThat(account.sentMails()).hasSize(3);
    }

    @Test
    void twoRunsAtOnce_neverGiveAUserTwoNewKeysOrTwoMails() throws Exception {
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String user = "user" + i;
            names.add(user);
            account.createUser(user, Map.of("IKR:EMAIL", user + "@example.com"));
            account.createKey(user);
        }
        var start = new java.util.concurrent.CountDownLatch(1);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        java.util.concurrent.Callable<Object> run = () -> {
            start.await();
            try {
                return invoke(config(Map.of()), hundredDaysLater);
            } catch (RotationRunFailedException failed) {
                return failed.summary();
            }
        };
        var a = pool.submit(run);
        var b = pool.submit(run);
        start.countDown();
        a.get();
        b.get();
        pool.shutdown();

        for (String user : names) {
            assertThat(account.keyIds(user)).as(user).hasSize(2);
            assertThat(account.sentMailsTo(user + "@example.com")).as(user).hasSize(1);
        }
    }

    @Test
    void rotatesUsersWhoseNamesHoldEveryCharacterIamAllows_atTheMaximumLength() {
        String special = "a+b=c,d.e@f-g_h";
        String longest = "u".repeat(63) + "@";
        for (String user : List.of(special, longest)) {
            account.createUser(user, Map.of("IKR:EMAIL", "owner@example.com"));
            account.createKey(user);
        }

        Map<String, Object> response = invoke(config(Map.of()), hundredDaysLater);

        assertThat(userEntry(response, special)).containsEntry("action", "rotated");
        assertThat(userEntry(response, longest)).containsEntry("action", "rotated");
        assertThat(account.parameterType("/ikr/secret/iam/encoded/a_2Bb_3Dc_2Cd.e_40f-g_5Fh")).contains("SecureString");
        assertThat(account.parameterType("/ikr/secret/iam/encoded/" + "u".repeat(63) + "_40")).contains("SecureString");
        assertThat(account.sentMailsTo("owner@example.com")).hasSize(2)
                .anySatisfy(mail -> assertThat(mail.body()).contains("--user " + special));
    }

    @Test
    void missingTable_stopsTheRunBeforeAnythingIsCreated_withAClearMessage() {
        account.createUser("zoe", Map.of("IKR:EMAIL", "zoe@example.com"));
        String key = account.createKey("zoe");

        assertThatThrownBy(() -> invoke(config(Map.of("IAM_KEY_ROTATOR_TABLE", "no-such-table")), hundredDaysLater))
                .hasMessageContaining("'no-such-table' (IAM_KEY_ROTATOR_TABLE) does not exist");
        assertThat(account.keyIds("zoe")).containsExactly(key);
        assertThat(account.sentMails()).isEmpty();
    }

    // --- helpers ----

    /** A clock that moves {@code step} forward each time it is read: the Lambda's time running out. */
    private static final class TickingClock extends Clock {
        private final java.util.concurrent.atomic.AtomicReference<Instant> now;
        private final Duration step;

        TickingClock(Instant start, Duration step) {
            this.now = new java.util.concurrent.atomic.AtomicReference<>(start);
            this.step = step;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.getAndUpdate(current -> current.plus(step));
        }
    }

    private static final class LambdaTimedOut extends Error {
        LambdaTimedOut() {
            super("simulated end of the Lambda process", null, false, false);
        }
    }

    private RotatorConfig config(Map<String, String> overrides) {
        var env = new HashMap<String, String>(account.tableVariables());
        env.putAll(overrides);
        return RotatorConfig.from(env);
    }

    private static LocalContext context() {
        return LocalContext.forAccount("ikr-rotator", Moto.REGION, Moto.ACCOUNT_ID);
    }

    private static Map<String, Object> invoke(RotatorConfig config, Clock clock) {
        return new RotatorHandler(config, new AwsClients(), clock).handleRequest(Map.of(), context());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> users(Map<String, Object> response) {
        return (List<Map<String, Object>>) response.get("users");
    }

    private static Map<String, Object> userEntry(Map<String, Object> response, String user) {
        return users(response).stream().filter(entry -> user.equals(entry.get("user"))).findFirst()
                .orElseThrow(() -> new AssertionError("no entry for " + user + " in " + response));
    }

    private static <T> T single(List<T> list) {
        assertThat(list).hasSize(1);
        return list.getFirst();
    }

    private static List<String> tokens(String body) {
        Matcher matcher = TOKEN.matcher(body);
        var found = new java.util.LinkedHashSet<String>();
        while (matcher.find()) {
            found.add(matcher.group());
        }
        return List.copyOf(found);
    }

    private void assertNoSecretAnywhere(String secret, String encryptionKey, Map<String, Object> response) {
        try {
            String responseJson = JSON.writeValueAsString(response);
            assertThat(responseJson).doesNotContain(secret).doesNotContain(encryptionKey);
            assertThat(logs.all()).doesNotContain(secret).doesNotContain(encryptionKey);
            assertThat(logs.standardOutput()).noneMatch(line -> line.contains(secret) || line.contains(encryptionKey));
            assertThat(account.items().toString()).doesNotContain(secret).doesNotContain(encryptionKey);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

}
