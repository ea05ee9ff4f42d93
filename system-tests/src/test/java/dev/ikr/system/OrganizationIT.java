package dev.ikr.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ikr.aws.AwsClients;
import dev.ikr.cli.AccountQueueDriver;
import dev.ikr.cli.Expiry;
import dev.ikr.config.DestructorConfig;
import dev.ikr.config.RotatorConfig;
import dev.ikr.destructor.DestructorHandler;
import dev.ikr.local.LocalContext;
import dev.ikr.rotator.AccountWorkerHandler;
import dev.ikr.rotator.RotatorHandler;
import dev.ikr.testbed.EmfLines;
import dev.ikr.testbed.FaultProxy;
import dev.ikr.testbed.LogCapture;
import dev.ikr.testbed.Moto;
import dev.ikr.testbed.MotoExtension;
import dev.ikr.testbed.TestAccount;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One deployment, several accounts ({@code ACCOUNTS} other than {@code self}), against moto: moto acts in the account
 * whose role the credentials assumed, so each member account is its own IAM and SSM. The scheduled run sends one
 * message per account to a real (moto) SQS queue, the worker handler consumes them in-process, as Lambda's event source
 * mapping would ({@link AccountQueueDriver}), and {@code expire} feeds the hub table's stream to the destructor.
 */
@ExtendWith(MotoExtension.class)
class OrganizationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROLE = "ikr-member";
    private static final List<String> MEMBERS = List.of("111111111111", "222222222222", "333333333333");

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    private final TestAccount hub = new TestAccount(Moto.shared());
    private final Map<String, TestAccount> members = new LinkedHashMap<>();
    private final AwsClients clients = new AwsClients();
    private final Instant rotatedAt = Instant.now().plus(Duration.ofDays(100));
    private SqsClient sqs;
    private String queueUrl;

    @BeforeEach
    void setUp() {
        hub.createTable().verifySender();
        sqs = hub.aws().build(SqsClient.builder());
        queueUrl = sqs.createQueue(request -> request.queueName("ikr-accounts")).queueUrl();
        for (String id : MEMBERS) {
            TestAccount member = hub.inAccount(id);
            member.createRole(ROLE, Moto.ACCOUNT_ID);
            member.createAccountAlias("acme-" + id.charAt(0));
            members.put(id, member);
        }
    }

    @Test
    void threeAccounts_eachRotatedInItsOwnAccount_itemsNameIt_andExpireDeletesEachOldKeyInItsAccount() {
        Map<String, String> oldKeys = new HashMap<>();
        members.forEach((id, member) -> {
            member.createUser("alice", Map.of("IKR:EMAIL", "alice-" + id + "@example.com"));
            oldKeys.put(id, member.createKey("alice"));
        });
        Map<String, String> env = env(String.join(",", MEMBERS));

        Map<String, Object> dispatched = new RotatorHandler(RotatorConfig.from(env), clients, clockAt(rotatedAt))
                .handleRequest(Map.of(), context());
        List<AccountQueueDriver.Delivery> deliveries = drain(worker(env, clients, rotatedAt), context(), 10);

        assertThat(dispatched).containsEntry("mode", "dispatch").containsEntry("accountsSent", MEMBERS)
                .containsEntry("accountsNotSent", List.of());
        assertThat(deliveries).flatExtracting(AccountQueueDriver.Delivery::retried).isEmpty();
        assertThat(hub.aws().iam().listUsers().users()).as("the hub's own IAM is not touched").isEmpty();
        assertThat(hub.parameter("/ikr/secret/iam/alice")).isEmpty();
        members.forEach((id, member) -> {
            assertThat(member.keyIds("alice")).as("alice in %s", id).hasSize(2).contains(oldKeys.get(id));
            assertThat(member.parameter("/ikr/secret/iam/alice")).as("the decryption key in %s", id).isPresent();
            assertThat(hub.item("alice", oldKeys.get(id))).as("the item of %s", id)
                    .hasValueSatisfying(item -> assertThat(item.get("account").s()).isEqualTo(id));
            assertThat(hub.sentMailsTo("alice-" + id + "@example.com")).singleElement()
                    .satisfies(mail -> assertThat(mail.subject() + mail.body()).contains(id, "acme-" + id.charAt(0)));
        });
        assertThat(accountSummaries()).extracting(summary -> summary.path("account").asText())
                .containsExactlyInAnyOrderElementsOf(MEMBERS);
        assertThat(accountSummaries()).allSatisfy(summary -> {
            assertThat(summary.path("result").asText()).isEqualTo("completed");
            assertThat(summary.path("awsCalls").path("sts:AssumeRole").asLong()).isEqualTo(1);
            assertThat(summary.path("awsCalls").path("iam:CreateAccessKey").asLong()).isEqualTo(1);
        });

        Map<String, Object> expired = new Expiry(hub.aws(), TestAccount.TABLE).run(rotatedAt.plus(Duration.ofDays(6)),
                new DestructorHandler(DestructorConfig.from(hub.tableVariables()), clients,
                        clockAt(rotatedAt.plus(Duration.ofDays(6)))), context());

        assertThat((List<?>) expired.get("batchItemFailures")).isEmpty();
        assertThat(hub.rotationItems()).isEmpty();
        members.forEach((id, member) -> {
            assertThat(member.keyIds("alice")).as("alice in %s after expiry", id).hasSize(1)
                    .doesNotContain(oldKeys.get(id));
            assertThat(member.parameter("/ikr/secret/iam/alice")).as("the decryption key in %s", id).isEmpty();
            assertThat(hub.item("alice", "#delivered#" + id)).as("where %s's key went", id).isPresent();
            assertThat(hub.sentMailsTo("alice-" + id + "@example.com")).hasSize(2).last()
                    .satisfies(mail -> assertThat(mail.subject()).contains("deleted", id));
        });
        assertThat(hub.item("alice", "#delivered")).as("no delivery of the hub's own alice").isEmpty();
    }

    @Test
    void anOrganizationWithNestedUnits_onlyTheSelectedUnitsActiveAccountsRun() {
        var organizations = new MotoOrganization();
        String root = organizations.create();
        String selected = organizations.unit(root, "selected");
        String nested = organizations.unit(selected, "nested");
        String other = organizations.unit(root, "other");
        String inSelected = organizations.account("a", root, selected);
        String inNested = organizations.account("b", root, nested);
        String closedInNested = organizations.account("c", root, nested);
        organizations.close(closedInNested);
        String inOther = organizations.account("d", root, other);
        Map<String, String> env = env("organization:" + selected);

        Map<String, Object> dispatched = new RotatorHandler(RotatorConfig.from(env), clients, clockAt(rotatedAt))
                .handleRequest(Map.of(), context());
        drain(worker(env, clients, rotatedAt), context(), 10);

        assertThat(dispatched.get("accountsSent")).asList().containsExactlyInAnyOrder(inSelected, inNested)
                .doesNotContain(closedInNested, inOther, Moto.ACCOUNT_ID);
        assertThat(accountSummaries()).extracting(summary -> summary.path("account").asText())
                .containsExactlyInAnyOrder(inSelected, inNested);
        assertThat(((Map<?, ?>) dispatched.get("awsCalls")).keySet()).extracting(String::valueOf).contains(
                "organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent")
                .doesNotContain("organizations:ListAccounts");

        Map<String, Object> all = new RotatorHandler(RotatorConfig.from(env("organization")), clients,
                clockAt(rotatedAt)).handleRequest(Map.of(), context());
        assertThat(all.get("accountsSent")).asList()
                .containsExactlyInAnyOrder(Moto.ACCOUNT_ID, inSelected, inNested, inOther);
    }

    @Test
    void aMemberWhoseRoleIsMissing_isReportedAndRetried_theOthersFinish() {
        members.forEach((id, member) -> {
            member.createUser("bob", Map.of("IKR:EMAIL", "bob-" + id + "@example.com"));
            member.createKey("bob");
        });
        String missing = MEMBERS.get(1);
        Map<String, String> env = env(String.join(",", MEMBERS));
        try (FaultProxy proxy = FaultProxy.start(Moto.shared().endpoint())) {
            AwsClients throughProxy = proxy.clients(AwsClients::new);
            proxy.throughProxy(throughProxy::sts);
            proxy.deny("sts:AssumeRole", body -> body.contains(missing));
            AccountWorkerHandler worker = worker(env, throughProxy, rotatedAt);
            new RotatorHandler(RotatorConfig.from(env), clients, clockAt(rotatedAt)).handleRequest(Map.of(), context());

            AccountQueueDriver.Delivery first = new AccountQueueDriver(sqs, queueUrl).deliverOnce(worker, context(), 10);

            assertThat(first.bodies()).hasSize(3);
            assertThat(first.retried()).singleElement().asString().contains(missing);
            assertThat(members.get(MEMBERS.get(0)).keyIds("bob")).hasSize(2);
            assertThat(members.get(MEMBERS.get(2)).keyIds("bob")).hasSize(2);
            assertThat(members.get(missing).keyIds("bob")).hasSize(1);
            JsonNode reported = accountSummaries().stream()
                    .filter(summary -> summary.path("account").asText().equals(missing)).findFirst().orElseThrow();
            assertThat(reported.path("result").asText()).isEqualTo("unreachable");
            assertThat(reported.path("reason").asText()).contains("arn:aws:iam::" + missing + ":role/" + ROLE,
                    "cannot be assumed", "AccessDenied");
            assertThat(logs.lines()).anyMatch(line -> line.contains("\"level\":\"ERROR\"")
                    && line.contains("account finished") && line.contains(missing));
            assertThat(EmfLines.documents(logs.standardOutput()).stream().map(EmfLines::metrics))
                    .filteredOn(metrics -> metrics.getOrDefault("AccountFailed", 0L) == 1).singleElement()
                    .satisfies(metrics -> assertThat(metrics).containsEntry("Rotated", 0L));

            proxy.heal();
            AccountQueueDriver.Delivery retried = new AccountQueueDriver(sqs, queueUrl).deliverOnce(worker, context(),
                    10);

            assertThat(retried.bodies()).singleElement().asString().contains(missing);
            assertThat(retried.retried()).isEmpty();
            assertThat(members.get(missing).keyIds("bob")).as("rotated once the role can be assumed").hasSize(2);
        }
    }

    @Test
    void theFanOut_dispatchesEachAccount_andAnAccountShortOfTime_continuesInAMessageOfItsOwn() throws IOException {
        String busy = MEMBERS.get(0);
        String quick = MEMBERS.get(2);
        for (String user : List.of("carol", "dave", "erin")) {
            members.get(busy).createUser(user, Map.of("IKR:EMAIL", user + "@example.com"));
            members.get(busy).createKey(user);
        }
        members.get(quick).createUser("frank", Map.of("IKR:EMAIL", "frank@example.com"));
        members.get(quick).createKey("frank");
        Map<String, String> env = env(busy + "," + quick);
        AccountWorkerHandler worker = worker(env, clients, rotatedAt);
        var driver = new AccountQueueDriver(sqs, queueUrl);

        new RotatorHandler(RotatorConfig.from(env), clients, clockAt(rotatedAt)).handleRequest(Map.of(), context());
        AccountQueueDriver.Delivery shortOfTime = driver.deliverOnce(worker, new LocalContext("ikr-worker",
                Moto.REGION, Moto.ACCOUNT_ID, Duration.ofSeconds(60), Clock.systemUTC()), 1);
        List<AccountQueueDriver.Delivery> rest = drain(worker, context(), 1);

        JsonNode first = JSON.readTree(shortOfTime.bodies().getFirst());
        assertThat(shortOfTime.retried()).as("a continued account's message succeeds").isEmpty();
        assertThat(first.path("continuation").asInt()).isZero();
        String continued = first.path("account").asText();
        List<JsonNode> later = new ArrayList<>();
        for (AccountQueueDriver.Delivery delivery : rest) {
            for (String body : delivery.bodies()) {
                later.add(JSON.readTree(body));
            }
        }
        assertThat(later).as("the continuation, with the run's time, and the other account")
                .anySatisfy(message -> {
                    assertThat(message.path("account").asText()).isEqualTo(continued);
                    assertThat(message.path("continuation").asInt()).isEqualTo(1);
                    assertThat(message.path("dispatchedAt").asText()).isEqualTo(first.path("dispatchedAt").asText());
                })
                .hasSize(2);
        assertThat(accountSummaries()).filteredOn(summary -> summary.path("account").asText().equals(continued))
                .extracting(summary -> summary.path("result").asText()).containsExactly("continued", "completed");
        for (String user : List.of("carol", "dave", "erin")) {
            assertThat(members.get(busy).keyIds(user)).as(user).hasSize(2);
        }
        assertThat(members.get(quick).keyIds("frank")).hasSize(2);
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private Map<String, String> env(String accounts) {
        var env = new HashMap<>(hub.tableVariables());
        env.put("ACCOUNTS", accounts);
        env.put("ACCOUNT_QUEUE_URL", queueUrl);
        return env;
    }

    private static AccountWorkerHandler worker(Map<String, String> env, AwsClients clients, Instant at) {
        return new AccountWorkerHandler(RotatorConfig.from(env), clients, clockAt(at));
    }

    /** Delivers batches until the queue has nothing visible (a retried message comes back at once). */
    private List<AccountQueueDriver.Delivery> drain(AccountWorkerHandler worker, LocalContext context, int batch) {
        var driver = new AccountQueueDriver(sqs, queueUrl);
        var deliveries = new ArrayList<AccountQueueDriver.Delivery>();
        for (int round = 0; round < 20; round++) {
            AccountQueueDriver.Delivery delivery = driver.deliverOnce(worker, context, batch);
            if (delivery.bodies().isEmpty()) {
                return deliveries;
            }
            deliveries.add(delivery);
        }
        throw new AssertionError("the queue never emptied: " + deliveries);
    }

    /** Each account's summary, as the worker logged it. */
    private List<JsonNode> accountSummaries() {
        var summaries = new ArrayList<JsonNode>();
        for (String line : logs.lines()) {
            if (line.contains("\"account finished\"")) {
                try {
                    summaries.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return summaries;
    }

    /**
     * The test's organization in moto, set up with plain JSON 1.1 requests (the SDK's Organizations module is not
     * available to this build; moto does not check signatures and acts in its default account).
     */
    private static final class MotoOrganization {

        private final HttpClient http = HttpClient.newHttpClient();

        String create() {
            call("CreateOrganization", Map.of("FeatureSet", "ALL"));
            return call("ListRoots", Map.of()).path("Roots").path(0).path("Id").asText();
        }

        String unit(String parent, String name) {
            return call("CreateOrganizationalUnit", Map.of("ParentId", parent, "Name", name))
                    .path("OrganizationalUnit").path("Id").asText();
        }

        String account(String name, String root, String unit) {
            String id = call("CreateAccount", Map.of("AccountName", name, "Email", name + "@example.com"))
                    .path("CreateAccountStatus").path("AccountId").asText();
            call("MoveAccount", Map.of("AccountId", id, "SourceParentId", root, "DestinationParentId", unit));
            return id;
        }

        void close(String account) {
            call("CloseAccount", Map.of("AccountId", account));
        }

        private JsonNode call(String operation, Map<String, String> body) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(Moto.shared().endpoint())
                        .header("Content-Type", "application/x-amz-json-1.1")
                        .header("X-Amz-Target", "AWSOrganizationsV20161128." + operation)
                        .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/"
                                + "organizations/aws4_request, SignedHeaders=host, Signature=0")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as("%s: %s", operation, response.body()).isEqualTo(200);
                return JSON.readTree(response.body());
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static Clock clockAt(Instant at) {
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), at));
    }

    private static LocalContext context() {
        return LocalContext.forAccount("ikr", Moto.REGION, Moto.ACCOUNT_ID);
    }
}
