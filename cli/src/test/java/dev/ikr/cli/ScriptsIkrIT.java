package dev.ikr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ikr.testbed.EmfLines;
import dev.ikr.testbed.Moto;
import dev.ikr.testbed.MotoExtension;
import dev.ikr.testbed.TestAccount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@code scripts/ikr} as a user runs it: a child process, results on stdout, logs on stderr, exit codes. */
@ExtendWith(MotoExtension.class)
class ScriptsIkrIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path IKR = Path.of("..", "scripts", "ikr").toAbsolutePath().normalize();

    private final Moto moto = Moto.shared();
    private final TestAccount account = new TestAccount(moto);

    @BeforeEach
    void setUp() {
        account.createTable().verifySender();
        account.createUser("alice", Map.of("IKR:EMAIL", "alice@example.com"));
        account.createKey("alice");
    }

    @Test
    void plan_printsWhatWouldHappen_andChangesNothing() throws Exception {
        Result result = run(Map.of(), "plan", "--now", "2030-01-01");

        assertThat(result.exitCode()).isZero();
        JsonNode alice = result.json().path("users").get(0);
        assertThat(alice.path("user").asText()).isEqualTo("alice");
        assertThat(alice.path("action").asText()).isEqualTo("would_rotate");
        assertThat(account.keyIds("alice")).hasSize(1);
        assertThat(account.items()).isEmpty();
        assertThat(account.sentMails()).isEmpty();
    }

    @Test
    void withAccounts_planAndInvokeActInTheAccountGiven_andAnAccountNotSelectedIsRefused() throws Exception {
        String member = "111111111111";
        TestAccount memberAccount = account.inAccount(member);
        memberAccount.createUser("zoe", Map.of("IKR:EMAIL", "zoe@example.com"));
        memberAccount.createKey("zoe");
        String queue = account.aws().build(software.amazon.awssdk.services.sqs.SqsClient.builder())
                .createQueue(request -> request.queueName("ikr-accounts")).queueUrl();
        Map<String, String> accounts = Map.of("ACCOUNTS", member, "ACCOUNT_QUEUE_URL", queue);

        Result plan = run(accounts, "plan", "--account", member, "--now", "2030-01-01");
        Result refused = run(accounts, "invoke", "rotator", "--account", "222222222222");
        Result invoked = run(accounts, "invoke", "rotator", "--account", member, "--now", "2030-01-01");

        assertThat(plan.exitCode()).isZero();
        assertThat(plan.json().path("account").asText()).isEqualTo(member);
        assertThat(plan.json().path("users").get(0).path("user").asText()).isEqualTo("zoe");
        assertThat(plan.json().path("users").get(0).path("action").asText()).isEqualTo("would_rotate");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stdout()).isEmpty();
        assertThat(refused.stderr().lines().filter(line -> line.startsWith("ikr:")))
                .containsExactly("ikr: --account 222222222222 is not an account ACCOUNTS selects (1 selected); give"
                        + " one of them, or all.");
        assertThat(invoked.exitCode()).isZero();
        assertThat(invoked.json().path("account").asText()).isEqualTo(member);
        assertThat(invoked.json().path("counts").path("rotated").asInt()).isEqualTo(1);
        assertThat(invoked.json().path("awsCalls").path("sts:AssumeRole").asInt()).isEqualTo(1);
        assertThat(memberAccount.keyIds("zoe")).hasSize(2);
        assertThat(account.item("zoe", memberAccount.keyIds("zoe").getFirst()).or(() ->
                account.item("zoe", memberAccount.keyIds("zoe").getLast()))).hasValueSatisfying(item ->
                assertThat(item.get("account").s()).isEqualTo(member));
    }

    @Test
    void invokeRotator_runsTheRealHandler_andPrintsItsResponse() throws Exception {
        Result result = run(Map.of(), "invoke", "rotator", "--now", "2030-01-01T00:00:00Z");

        assertThat(result.exitCode()).isZero();
        assertThat(result.json().path("counts").path("rotated").asInt()).isEqualTo(1);
        assertThat(result.stderr()).contains("\"message\":\"decision\"");
        assertThat(result.stdout()).as("the summary alone, ready for jq").doesNotContain("_aws");
        assertThat(EmfLines.documents(result.stderr().lines().toList())).as("the run's metrics, with the logs")
                .singleElement().satisfies(run -> assertThat(EmfLines.metrics(run)).containsEntry("Rotated", 1L));
        assertThat(account.keyIds("alice")).hasSize(2);
        assertThat(account.sentMailsTo("alice@example.com")).hasSize(1);
    }

    @Test
    void invokeRotator_exitsOne_andStillPrintsTheSummary_whenAUserFailed() throws Exception {
        Result result = run(Map.of("MAIL_FROM", "unverified@example.com"), "invoke", "rotator", "--now", "2030-01-01");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.json().path("counts").path("failed").asInt()).isEqualTo(1);
        assertThat(result.stderr()).contains("1 user(s) failed");
        assertThat(account.keyIds("alice")).hasSize(1);
    }

    @Test
    void badConfiguration_exitsTwo_withOneSentenceNamingTheVariable() throws Exception {
        Result result = run(Map.of("ROTATE_AFTER_DAYS", "-1"), "plan");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("ROTATE_AFTER_DAYS must be a whole number of days");
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void expire_deletesTheOldKeyAfterItsDate_andPlanShowsThePendingDeletionBefore() throws Exception {
        String oldKey = account.keyIds("alice").getFirst();
        assertThat(run(Map.of(), "invoke", "rotator", "--now", "2030-01-01").exitCode()).isZero();

        Result plan = run(Map.of(), "plan", "--now", "2030-01-02");
        assertThat(plan.json().path("pendingDeletions").get(0).path("keyId").asText()).isEqualTo(oldKey);
        assertThat(plan.json().path("pendingDeletions").get(0).path("deleteOn").asText()).startsWith("2030-01-06");

        Result expire = run(Map.of(), "expire", "--now", "2030-01-07");

        assertThat(expire.exitCode()).isZero();
        JsonNode expired = expire.json().path("expired").get(0);
        assertThat(expired.path("keyId").asText()).isEqualTo(oldKey);
        assertThat(expired.path("keyDeleted").asBoolean()).isTrue();
        assertThat(account.keyIds("alice")).hasSize(1).doesNotContain(oldKey);
    }

    @Test
    void adopt_sealsTheOriginalProjectsItemsThatIamCorroborates_andRefusesTheOthers() throws Exception {
        String oldKey = account.keyIds("alice").getFirst();
        String newKey = account.createKey("alice");
        account.createUser("bob", Map.of());
        String bobsKey = account.createKey("bob");
        account.putItem(originalItem("alice", oldKey));
        account.putItem(originalItem("bob", bobsKey));

        Result dryRun = run(Map.of(), "adopt", "--dry-run");

        assertThat(dryRun.exitCode()).as("bob's item is refused").isEqualTo(1);
        assertThat(dryRun.json().path("wouldAdopt").get(0).path("newKeyId").asText()).isEqualTo(newKey);
        assertThat(dryRun.json().path("refused").get(0).path("reason").asText())
                .contains("does not take part in rotation");
        assertThat(account.item("alice", oldKey).orElseThrow()).doesNotContainKey("mac");

        Result adopted = run(Map.of(), "adopt");

        assertThat(adopted.exitCode()).isEqualTo(1);
        assertThat(adopted.json().path("adopted").get(0).path("keyId").asText()).isEqualTo(oldKey);
        var item = account.item("alice", oldKey).orElseThrow();
        assertThat(item).containsKeys("mac", "mac_key");
        assertThat(item.get("new_ak").s()).isEqualTo(newKey);
        assertThat(item.get("delete_on").n()).isEqualTo("1900000000");
        assertThat(account.item("bob", bobsKey).orElseThrow()).doesNotContainKey("mac");
        assertThat(account.keyIds("alice")).containsExactly(oldKey, newKey);
        assertThat(account.keyIds("bob")).containsExactly(bobsKey);
    }

    /** A pending deletion as the original project wrote it: no state, no new key, no seal. */
    private static Map<String, AttributeValue> originalItem(String user, String key) {
        return Map.of("user", AttributeValue.fromS(user), "ak", AttributeValue.fromS(key),
                "email", AttributeValue.fromS(user + "@example.com"), "delete_on", AttributeValue.fromN("1900000000"));
    }

    @Test
    void invokeDestructor_readsALambdaStreamEvent_andKeepsTheKeyOnAManualRemove() throws Exception {
        String key = account.keyIds("alice").getFirst();
        Path event = Files.createTempFile("remove-", ".json");
        Files.writeString(event, """
                {"Records": [{"eventID": "1", "eventName": "REMOVE", "eventSource": "aws:dynamodb",
                  "awsRegion": "us-east-1",
                  "dynamodb": {"Keys": {"user": {"S": "alice"}, "ak": {"S": "%s"}},
                    "OldImage": {"user": {"S": "alice"}, "ak": {"S": "%s"}, "email": {"S": "alice@example.com"},
                                 "delete_on": {"N": "1700000000"}},
                    "SequenceNumber": "111", "SizeBytes": 90, "StreamViewType": "NEW_AND_OLD_IMAGES"}}]}
                """.formatted(key, key));

        Result result = run(Map.of(), "invoke", "destructor", "--event", event.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.json().path("batchItemFailures").isEmpty()).isTrue();
        assertThat(result.stderr()).contains("cancelled");
        assertThat(account.keyIds("alice")).containsExactly(key);
    }

    @Test
    void tagUsers_validatesEveryEntryBeforeWritingAnything() throws Exception {
        account.createUser("bob", Map.of());
        account.createUser("carol", Map.of());
        Path file = Files.createTempFile("tags-", ".json");
        Files.writeString(file, """
                {"bob": {"IKR:EMAIL": "bob@example.com", "IKR:ROTATE_AFTER_DAYS": "30"},
                 "nobody": {"IKR:EMAIL": "nobody@example.com"},
                 "alice": {"IKR:DELETE_AFTER_DAYS": "0"},
                 "carol": {"\u0131kr:email": "carol@example.com"}}
                """);

        Result result = run(Map.of(), "tag-users", file.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.json().path("written").asBoolean()).isFalse();
        assertThat(statusOf(result, "bob")).isEqualTo("not_written");
        assertThat(statusOf(result, "nobody")).isEqualTo("invalid");
        assertThat(statusOf(result, "alice")).isEqualTo("invalid");
        assertThat(statusOf(result, "carol")).as("a dotless-i look-alike is not an IKR tag").isEqualTo("invalid");
        assertThat(account.aws().iam().listUserTags(request -> request.userName("bob")).tags()).isEmpty();
    }

    @Test
    void tagUsers_writesTags_dryRunWritesNothing_andReplaceRemovesUnlistedIkrTags() throws Exception {
        account.createUser("bob", Map.of("IKR:INSTRUCTION_0", "old instruction", "team", "platform"));
        Path file = Files.createTempFile("tags-", ".json");
        Files.writeString(file, "{\"bob\": {\"IKR:EMAIL\": \"bob@example.com\", \"IKR:ROTATE_AFTER_DAYS\": \"30\"}}");

        assertThat(run(Map.of(), "tag-users", file.toString(), "--dry-run").exitCode()).isZero();
        assertThat(tagsOf("bob")).doesNotContainKey("IKR:EMAIL");

        assertThat(run(Map.of(), "tag-users", file.toString()).exitCode()).isZero();
        assertThat(tagsOf("bob")).containsEntry("IKR:EMAIL", "bob@example.com")
                .containsEntry("IKR:INSTRUCTION_0", "old instruction").containsEntry("team", "platform");

        assertThat(run(Map.of(), "tag-users", file.toString(), "--replace").exitCode()).isZero();
        assertThat(tagsOf("bob")).containsEntry("IKR:ROTATE_AFTER_DAYS", "30").containsEntry("team", "platform")
                .doesNotContainKey("IKR:INSTRUCTION_0");
    }

    @Test
    void decrypt_turnsTheMailedTokensBackIntoTheKeyPair_withTheKeyFromSsmStandardInputOrTheEnvironment()
            throws Exception {
        assertThat(run(Map.of(), "invoke", "rotator", "--now", "2030-01-01").exitCode()).isZero();
        String body = account.sentMailsTo("alice@example.com").getFirst().body();
        var tokens = java.util.regex.Pattern.compile("gAAAAA[A-Za-z0-9_=-]+").matcher(body);
        assertThat(tokens.find()).isTrue();
        String accessToken = tokens.group();
        assertThat(tokens.find()).isTrue();
        String secretToken = tokens.group();
        String newKey = account.keyIds("alice").getLast();
        String key = account.parameter("/ikr/secret/iam/alice").orElseThrow();
        String standardAlphabet = java.util.Base64.getEncoder().encodeToString(
                java.util.Base64.getUrlDecoder().decode(key));

        Result byUser = run(Map.of(), "decrypt", "--user", "alice", "--access-key", accessToken,
                "--secret-key", secretToken);
        Result byStandardInput = runWithInput(Map.of(), key + "\n", "decrypt", "--key", "-",
                "--access-key", accessToken, "--secret-key", secretToken);
        Result byEnvironment = run(Map.of("IKR_DECRYPT_KEY", key), "decrypt", "--access-key", accessToken,
                "--secret-key", secretToken);
        Result standardAlphabetByStandardInput = runWithInput(Map.of(), standardAlphabet, "decrypt", "--key", "-",
                "--access-key", accessToken, "--secret-key", secretToken);
        Result standardAlphabetByEnvironment = run(Map.of("IKR_DECRYPT_KEY", standardAlphabet), "decrypt",
                "--access-key", accessToken, "--secret-key", secretToken);
        Result wrongKey = run(Map.of("IKR_DECRYPT_KEY", "A".repeat(43) + "="), "decrypt",
                "--access-key", accessToken, "--secret-key", secretToken);

        assertThat(byUser.exitCode()).isZero();
        assertThat(byUser.json().path("accessKeyId").asText()).isEqualTo(newKey);
        assertThat(byUser.json().path("secretAccessKey").asText()).hasSize(40);
        for (Result result : List.of(byStandardInput, byEnvironment, standardAlphabetByStandardInput,
                standardAlphabetByEnvironment)) {
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.json()).isEqualTo(byUser.json());
        }
        assertThat(wrongKey.exitCode()).isEqualTo(1);
        assertThat(wrongKey.stderr()).contains("not a valid Fernet token").doesNotContain(secretToken);
    }

    @Test
    void decrypt_refusesAKeyOnTheCommandLine_namingTheAlternatives_withoutEchoingIt() throws Exception {
        String key = java.util.Base64.getUrlEncoder().encodeToString(new byte[32]);

        Result result = run(Map.of("IKR_DECRYPT_KEY", key), "decrypt", "--key", key,
                "--access-key", "gAAAAA", "--secret-key", "gAAAAA");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--key takes no key on the command line")
                .contains("--key -").contains("IKR_DECRYPT_KEY").doesNotContain(key);
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void decrypt_asksForAKey_whenNoneIsGiven() throws Exception {
        Result result = run(Map.of(), "decrypt", "--access-key", "gAAAAA", "--secret-key", "gAAAAA");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--user NAME").contains("--key -").contains("IKR_DECRYPT_KEY");
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void demo_showsTheWholeLifeOfAKey_andLeavesNothingRunning() throws Exception {
        Result result = run(Map.of(), "demo", "--no-terraform");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("alice: rotated").contains("carol: skipped")
                .contains("Subject: IKR: new AWS access key for alice").contains("old key")
                .containsPattern("alice: old key AKIA[A-Z0-9]+ deleted");
        var endpoint = java.util.regex.Pattern.compile("moto is listening on (http://\\S+)").matcher(result.stdout());
        assertThat(endpoint.find()).isTrue();
        var probe = java.net.http.HttpClient.newHttpClient();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> probe.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(endpoint.group(1) + "/moto-api/")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding())).isInstanceOf(IOException.class);
    }

    private static String statusOf(Result result, String user) throws IOException {
        for (JsonNode entry : result.json().path("users")) {
            if (entry.path("user").asText().equals(user)) {
                return entry.path("status").asText();
            }
        }
        throw new AssertionError("no entry for " + user);
    }

    private Map<String, String> tagsOf(String user) {
        var tags = new HashMap<String, String>();
        account.aws().iam().listUserTags(request -> request.userName(user)).tags()
                .forEach(tag -> tags.put(tag.key(), tag.value()));
        return tags;
    }

    private Result run(Map<String, String> overrides, String... args) throws IOException, InterruptedException {
        return runWithInput(overrides, "", args);
    }

    private Result runWithInput(Map<String, String> overrides, String standardInput, String... args)
            throws IOException, InterruptedException {
        var command = new java.util.ArrayList<String>();
        command.add(IKR.toString());
        command.addAll(java.util.List.of(args));
        var builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.putAll(moto.awsEnvironment());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.putAll(account.tableVariables());
        env.put("ACCOUNT_ID", Moto.ACCOUNT_ID);
        env.remove("IKR_DECRYPT_KEY");
        env.putAll(new HashMap<>(overrides));
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            in.write(standardInput.getBytes(StandardCharsets.UTF_8));
        }
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        String stdout = read(process.getInputStream());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("scripts/ikr finished").isTrue();
        return new Result(process.exitValue(), stdout, stderr.join());
    }

    private static String read(java.io.InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private record Result(int exitCode, String stdout, String stderr) {
        JsonNode json() throws IOException {
            return JSON.readTree(stdout);
        }
    }

    static {
        assertThat(Files.isExecutable(IKR)).as("scripts/ikr is executable").isTrue();
    }
}
