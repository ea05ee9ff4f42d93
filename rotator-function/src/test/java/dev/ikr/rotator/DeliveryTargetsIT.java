package dev.ikr.rotator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ikr.aws.AwsClients;
import dev.ikr.config.RotatorConfig;
import dev.ikr.local.LocalContext;
import dev.ikr.testbed.FaultProxy;
import dev.ikr.testbed.LogCapture;
import dev.ikr.testbed.Moto;
import dev.ikr.testbed.MotoExtension;
import dev.ikr.testbed.TestAccount;
import dev.ikr.testbed.TestAccount.SentMail;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code IKR:DELIVER_TO} on the rotator's path, with the real handler and SDK: Secrets Manager and SSM in moto over
 * HTTP, and Lambda's Invoke API answered by a local stub (moto cannot run a function), which succeeds, reports a
 * function error, or hangs past the delivery timeout.
 */
@ExtendWith(MotoExtension.class)
class DeliveryTargetsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock HUNDRED_DAYS_LATER = Clock.offset(Clock.systemUTC(), Duration.ofDays(100));
    private static final Map<String, String> BOUNDS = Map.of("DELIVERY_SECRET_PREFIX", "ikr/",
            "DELIVERY_PARAMETER_PREFIX", "/ikr/keys/", "DELIVERY_FUNCTIONS", "deliver-ok,deliver-fails,deliver-hangs");

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    private final TestAccount account = new TestAccount(Moto.shared());
    private LambdaStub lambda;

    @BeforeEach
    void createTheTable_andStartTheLambdaStub() {
        account.createTable().verifySender();
        lambda = LambdaStub.start();
    }

    @AfterEach
    void stopTheStub() {
        lambda.close();
    }

    @Test
    void aSecretGetsANewVersionEachRotation_soAwsPreviousHoldsTheFirstNewKey_andTheOwnerIsToldWithoutTheSecret()
            throws IOException {
        String oldKey = user("alice", "secretsmanager:ikr/alice");

        String firstKey = newKeyOf(invoke(config(Map.of()), new AwsClients()), "alice");
        JsonNode first = secret("ikr/alice", "AWSCURRENT");
        account.deleteKey("alice", oldKey); // as the destructor does once the old key's date has come
        String secondKey = newKeyOf(invoke(config(Map.of()), new AwsClients()), "alice");

        assertThat(secret("ikr/alice", "AWSCURRENT").path("AccessKeyId").asText()).isEqualTo(secondKey);
        JsonNode previous = secret("ikr/alice", "AWSPREVIOUS");
        assertThat(previous).isEqualTo(first);
        assertThat(previous.path("UserName").asText()).isEqualTo("alice");
        assertThat(previous.path("AccessKeyId").asText()).isEqualTo(firstKey);
        assertThat(previous.path("SecretAccessKey").asText()).hasSize(40);
        assertThat(Instant.parse(previous.path("CreateDate").asText())).isCloseTo(Instant.now(),
                org.assertj.core.api.Assertions.within(Duration.ofMinutes(5)));
        assertThat(account.parameter("/ikr/secret/iam/alice")).as("no decryption key for a target").isEmpty();
        List<SentMail> mails = account.sentMailsTo("alice@example.com");
        assertThat(mails).hasSize(2);
        assertThat(mails.getFirst().subject()).contains("delivered to secretsmanager:ikr/alice");
        assertThat(mails.getFirst().body()).contains(firstKey, oldKey, "ikr/alice")
                .doesNotContain(previous.path("SecretAccessKey").asText()).doesNotContain("gAAAAA");
        assertThat(logs.all()).doesNotContain(previous.path("SecretAccessKey").asText());
    }

    @Test
    void aParameterHoldsTheKeyDocumentAsASecureString_underTheCustomerKey() throws IOException {
        String keyArn = account.aws().kms().createKey(request -> request.description("IKR secrets (test)"))
                .keyMetadata().arn();
        String oldKey = user("bob", "ssm:/ikr/keys/bob");

        Map<String, Object> response = invoke(config(Map.of("SECRET_KMS_KEY_ID", keyArn)), new AwsClients());

        assertThat(entry(response, "bob")).containsEntry("action", "rotated");
        assertThat((String) entry(response, "bob").get("reason")).contains("new key delivered to ssm:/ikr/keys/bob;"
                + " its owner bob@example.com was told");
        assertThat(account.parameterType("/ikr/keys/bob")).contains("SecureString");
        JsonNode document = JSON.readTree(account.parameter("/ikr/keys/bob").orElseThrow());
        assertThat(document.path("AccessKeyId").asText()).isEqualTo(entry(response, "bob").get("newKeyId"));
        assertThat(document.path("SecretAccessKey").asText()).hasSize(40);
        assertThat(account.aws().ssm().describeParameters(request -> request.parameterFilters(filter -> filter
                .key("Name").values("/ikr/keys/bob"))).parameters().getFirst().keyId()).isEqualTo(keyArn);
        assertThat(account.keyIds("bob")).hasSize(2).contains(oldKey);
        assertThat(account.item("bob", oldKey).orElseThrow().get("state").s()).isEqualTo("pending_deletion");
        assertThat(JSON.writeValueAsString(response)).doesNotContain(document.path("SecretAccessKey").asText());
    }

    @Test
    void aFunctionThatAnswers_getsTheKey_andOneThatReportsAnError_hasItsUsersNewKeyWithdrawn() throws IOException {
        user("carol", "lambda:deliver-ok");
        String davesKey = user("dave", "lambda:deliver-fails");

        Map<String, Object> response = invokeExpectingFailure(config(Map.of()), lambda.clients(new AwsClients()));

        assertThat(entry(response, "carol")).containsEntry("action", "rotated");
        JsonNode payload = JSON.readTree(lambda.payloads().get("deliver-ok"));
        assertThat(payload.path("userName").asText()).isEqualTo("carol");
        assertThat(payload.path("accessKeyId").asText()).isEqualTo(entry(response, "carol").get("newKeyId"));
        assertThat(payload.path("secretAccessKey").asText()).hasSize(40);
        assertThat(payload.path("oldAccessKeyId").asText()).isEqualTo(entry(response, "carol").get("oldKeyId"));
        assertThat(Instant.parse(payload.path("deleteOn").asText()))
                .isCloseTo(HUNDRED_DAYS_LATER.instant().plus(Duration.ofDays(5)),
                        org.assertj.core.api.Assertions.within(Duration.ofMinutes(1)));
        assertThat(account.sentMailsTo("carol@example.com")).hasSize(1);

        assertThat(entry(response, "dave")).containsEntry("action", "failed");
        assertThat((String) entry(response, "dave").get("reason")).contains("function deliver-fails returned an"
                + " error (Unhandled)", "the new key was deleted and the next run tries again")
                .doesNotContain("went wrong");
        assertWithdrawn("dave", davesKey);
        assertThat(JSON.writeValueAsString(response)).doesNotContain(payload.path("secretAccessKey").asText());
    }

    @Test
    void aFunctionThatHangsPastTheDeliveryTimeout_isAFailedDelivery_andTheNewKeyIsWithdrawn() {
        String erinsKey = user("erin", "lambda:deliver-hangs");
        long started = System.nanoTime();

        Map<String, Object> response = invokeExpectingFailure(config(Map.of()),
                lambda.clients(AwsClients.withDeliveryTimeout(Duration.ofSeconds(1), List.of())));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        assertThat(entry(response, "erin")).containsEntry("action", "failed");
        assertThat((String) entry(response, "erin").get("reason")).contains("invoking deliver-hangs failed",
                "no answer within the delivery timeout");
        assertThat(lambda.payloads()).containsKey("deliver-hangs");
        assertWithdrawn("erin", erinsKey);
    }

    @Test
    void targetsOutsideTheBounds_orMalformed_makeTheirUsersMisconfigured_andTheOthersInTheRunRotate() {
        String[][] misconfigured = {
            {"frank", "secretsmanager:other/frank", "does not start with DELIVERY_SECRET_PREFIX 'ikr/'"},
            {"grace", "lambda:someone-elses", "is not one of DELIVERY_FUNCTIONS"},
            {"heidi", "ssm:ikr/keys/heidi", "is not a valid parameter name here"},
            {"ivan", "vault:ikr/ivan", "unknown target kind 'vault'"},
            {"judy", "secretsmanager:", "needs a secret name or ARN"},
            {"mallory", "lambda:arn:aws:lambda:us-east-1:123456789012:function:deliver-ok:live",
                "not the unqualified ARN"}};
        for (String[] user : misconfigured) {
            user(user[0], user[1]);
        }
        user("kim", "secretsmanager:ikr/kim");
        account.createUser("leo", Map.of("IKR:EMAIL", "leo@example.com"));
        account.createKey("leo");

        Map<String, Object> response = invoke(config(Map.of("DELIVERY_FUNCTIONS", "deliver-ok")), new AwsClients());

        for (String[] user : misconfigured) {
            assertThat(entry(response, user[0])).as(user[0]).containsEntry("action", "misconfigured");
            assertThat((String) entry(response, user[0]).get("reason")).as(user[0])
                    .startsWith("IKR:DELIVER_TO: ").contains(user[2]);
            assertThat(account.keyIds(user[0])).as(user[0]).hasSize(1);
        }
        assertThat(entry(response, "kim")).containsEntry("action", "rotated");
        assertThat(entry(response, "leo")).containsEntry("action", "rotated");
        assertThat((String) entry(response, "leo").get("reason")).contains("new key mailed to leo@example.com");
        assertThat(account.aws().secretsManager().listSecrets().secretList()).extracting(secret -> secret.name())
                .containsExactly("ikr/kim");
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    /** A user tagged to deliver to {@code target}, with one key; returns its id. */
    private String user(String name, String target) {
        account.createUser(name, Map.of("IKR:EMAIL", name + "@example.com", "IKR:DELIVER_TO", target));
        return account.createKey(name);
    }

    private void assertWithdrawn(String user, String oldKey) {
        assertThat(account.keyIds(user)).as("only the old key is left").containsExactly(oldKey);
        assertThat(account.item(user, oldKey)).as("nothing scheduled").isEmpty();
        assertThat(account.sentMailsTo(user + "@example.com")).as("no mail about a key that is gone").isEmpty();
    }

    private JsonNode secret(String name, String stage) throws IOException {
        return JSON.readTree(account.aws().secretsManager().getSecretValue(request -> request.secretId(name)
                .versionStage(stage)).secretString());
    }

    private RotatorConfig config(Map<String, String> overrides) {
        var env = new HashMap<String, String>(account.tableVariables());
        env.putAll(BOUNDS);
        env.putAll(overrides);
        return RotatorConfig.from(env);
    }

    private static Map<String, Object> invoke(RotatorConfig config, AwsClients clients) {
        return new RotatorHandler(config, clients, HUNDRED_DAYS_LATER).handleRequest(Map.of(),
                LocalContext.forAccount("ikr-rotator", Moto.REGION, Moto.ACCOUNT_ID));
    }

    private static Map<String, Object> invokeExpectingFailure(RotatorConfig config, AwsClients clients) {
        RotationRunFailedException failed = catchThrowableOfType(RotationRunFailedException.class,
                () -> invoke(config, clients));
        assertThat(failed).as("a failed delivery fails the run").isNotNull();
        return failed.summary();
    }

    private static String newKeyOf(Map<String, Object> response, String user) {
        Map<String, Object> entry = entry(response, user);
        assertThat(entry).containsEntry("action", "rotated");
        return (String) entry.get("newKeyId");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> entry(Map<String, Object> response, String user) {
        return ((List<Map<String, Object>>) response.get("users")).stream()
                .filter(entry -> user.equals(entry.get("user"))).findFirst()
                .orElseThrow(() -> new AssertionError("no entry for " + user + " in " + response));
    }

    /**
     * Lambda's Invoke API ({@code POST /2015-03-31/functions/<name>/invocations}) on a loopback port: {@code
     * deliver-ok} answers 200, {@code deliver-fails} answers 200 with {@code X-Amz-Function-Error: Unhandled}, and
     * {@code deliver-hangs} answers nothing until the stub closes.
     */
    private static final class LambdaStub implements AutoCloseable {

        private final HttpServer server;
        private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
        private final Map<String, String> payloads = new ConcurrentHashMap<>();
        private final CountDownLatch closed = new CountDownLatch(1);

        private LambdaStub() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/2015-03-31/functions/", this::handle);
            server.setExecutor(handlers);
            server.start();
        }

        static LambdaStub start() {
            try {
                return new LambdaStub();
            } catch (IOException e) {
                throw new IllegalStateException("could not start the Lambda stub", e);
            }
        }

        /** {@code clients} whose Lambda client talks to this stub (the others still go to moto). */
        AwsClients clients(AwsClients clients) {
            FaultProxy.withEndpoint(URI.create("http://" + server.getAddress().getHostString() + ":"
                    + server.getAddress().getPort()), clients::lambda);
            return clients;
        }

        /** The payload each function was last invoked with. */
        Map<String, String> payloads() {
            return Map.copyOf(payloads);
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String function = exchange.getRequestURI().getPath().split("/")[3];
                payloads.put(function, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                byte[] answer;
                switch (function) {
                    case "deliver-ok" -> answer = "{\"delivered\":true}".getBytes(StandardCharsets.UTF_8);
                    case "deliver-fails" -> {
                        exchange.getResponseHeaders().add("X-Amz-Function-Error", "Unhandled");
                        answer = "{\"errorMessage\":\"went wrong\",\"errorType\":\"RuntimeException\"}"
                                .getBytes(StandardCharsets.UTF_8);
                    }
                    default -> {
                        closed.await(30, TimeUnit.SECONDS);
                        return;
                    }
                }
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            closed.countDown();
            server.stop(0);
            handlers.shutdownNow();
        }
    }
}
