package dev.ikr.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ikr.aws.AwsClients;
import dev.ikr.testbed.FaultProxy.Exchange;
import dev.ikr.testbed.FaultProxy.Fault;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.User;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** The fault proxy itself: it forwards every protocol, names calls as the call counter does, and fails as AWS does. */
@ExtendWith(MotoExtension.class)
class FaultProxyIT {

    private static FaultProxy proxy;

    private final TestAccount account = new TestAccount(Moto.shared());

    @BeforeAll
    static void startProxy() {
        proxy = FaultProxy.start(Moto.shared().endpoint());
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    @BeforeEach
    void setUp() {
        account.createTable();
    }

    @AfterEach
    void heal() {
        proxy.heal();
        proxy.clearExchanges();
    }

    @Test
    void forwardsEveryService_andNamesEachOperationAsTheCallCounterDoes() {
        AwsClients clients = proxy.clients(() -> AwsClients.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5),
                List.of()));

        clients.iam().createUser(request -> request.userName("alice"));
        clients.iam().listAccessKeys(request -> request.userName("alice"));
        clients.dynamoDb().scan(request -> request.tableName(TestAccount.TABLE));
        proxy.throughProxy(() -> clients.build(DynamoDbStreamsClient.builder())).listStreams(request -> request.tableName(TestAccount.TABLE));
        clients.ssm().putParameter(request -> request.name("/ikr/test").value("v").type(ParameterType.STRING));
        clients.ses().verifyEmailIdentity(request -> request.emailAddress(TestAccount.SENDER));

        assertThat(proxy.exchanges()).extracting(Exchange::operation).containsExactly("iam:CreateUser",
                "iam:ListAccessKeys", "dynamodb:Scan", "dynamodbstreams:ListStreams", "ssm:PutParameter",
                "ses:VerifyEmailIdentity");
        assertThat(clients.callCounter().snapshot().keySet())
                .containsExactlyInAnyOrderElementsOf(proxy.exchanges().stream().map(Exchange::operation).toList());
        assertThat(proxy.exchanges()).allMatch(Exchange::motoSucceeded);
        assertThat(account.keyIds("alice")).isEmpty();
        assertThat(account.parameter("/ikr/test")).contains("v");
    }

    @Test
    void serverError_hasEachProtocolsErrorShape() {
        proxy.fail("iam:ListUsers", Fault.SERVER_ERROR).fail("dynamodb:Scan", Fault.SERVER_ERROR)
                .fail("ssm:GetParameter", Fault.SERVER_ERROR).fail("ses:ListIdentities", Fault.SERVER_ERROR);

        assertThatThrownBy(() -> rawIam().listUsers()).isInstanceOfSatisfying(AwsServiceException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(500);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
        });
        assertThatThrownBy(() -> rawDynamoDb().scan(request -> request.tableName(TestAccount.TABLE)))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(500);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalFailure");
                });
        assertThatThrownBy(() -> rawSsm().getParameter(request -> request.name("/x")))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
        assertThatThrownBy(() -> rawSes().listIdentities())
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
        assertThat(proxy.exchanges()).noneMatch(Exchange::forwarded);
    }

    @Test
    void throttling_isSeenAsThrottlingByTheSdk_inEachProtocol() {
        proxy.fail("iam:ListUsers", Fault.THROTTLING).fail("dynamodb:Scan", Fault.THROTTLING)
                .fail("ssm:GetParameter", Fault.THROTTLING).fail("ses:ListIdentities", Fault.THROTTLING);

        assertThatThrownBy(() -> rawIam().listUsers()).isInstanceOfSatisfying(AwsServiceException.class, e -> {
            assertThat(e.isThrottlingException()).isTrue();
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
        });
        assertThatThrownBy(() -> rawDynamoDb().scan(request -> request.tableName(TestAccount.TABLE)))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> {
                    assertThat(e.isThrottlingException()).isTrue();
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
                });
        assertThatThrownBy(() -> rawSsm().getParameter(request -> request.name("/x")))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.isThrottlingException()).isTrue());
        assertThatThrownBy(() -> rawSes().listIdentities())
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.isThrottlingException()).isTrue());
    }

    @Test
    void theClientsRetryServerErrorsAndThrottling_onEveryAttemptUntilTheCallsTimeRunsOut() {
        AwsClients clients = proxy.clients(() -> AwsClients.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(3),
                List.of()));
        proxy.fail("iam:ListUsers", Fault.SERVER_ERROR).fail("ssm:GetParameter", Fault.THROTTLING);

        assertThatThrownBy(() -> clients.iam().listUsers()).isInstanceOf(Exception.class);
        assertThatThrownBy(() -> clients.ssm().getParameter(request -> request.name("/x")))
                .isInstanceOf(Exception.class);

        assertThat(proxy.exchanges().stream().filter(e -> e.operation().equals("iam:ListUsers")).count())
                .isGreaterThanOrEqualTo(3);
        assertThat(proxy.exchanges().stream().filter(e -> e.operation().equals("ssm:GetParameter")).count())
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void productionClients_giveUpOnAPersistentServerError_afterEveryAttempt_withinSeconds() {
        AwsClients clients = proxy.clients(AwsClients::new);
        proxy.fail("iam:ListUsers", Fault.SERVER_ERROR);

        long start = System.nanoTime();
        assertThatThrownBy(() -> clients.iam().listUsers())
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(proxy.exchanges()).hasSize(AwsClients.MAX_ATTEMPTS);
        assertThat(took).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void oneInN_throttlesAcrossOperations_andTheClientsStillSucceed() {
        AwsClients clients = proxy.clients(AwsClients::new);
        proxy.throttleOneIn(2);

        for (int i = 0; i < 6; i++) {
            String user = "user" + i;
            clients.iam().createUser(request -> request.userName(user));
            clients.ssm().putParameter(request -> request.name("/p/" + user).value(user).type(ParameterType.STRING));
        }

        assertThat(proxy.faultsInjected()).isEqualTo(proxy.exchanges().size() / 2);
        assertThat(account.aws().iam().listUsers().users()).hasSize(6);
    }

    @Test
    void stall_failsTheCallWithinItsTimeout_andMotoNeverSeesIt() {
        AwsClients clients = proxy.clients(() -> AwsClients.withTimeouts(Duration.ofMillis(500),
                Duration.ofMillis(1500), List.of()));
        proxy.fail("iam:CreateUser", Fault.STALL);

        long start = System.nanoTime();
        assertThatThrownBy(() -> clients.iam().createUser(request -> request.userName("bob")))
                .isInstanceOf(SdkClientException.class);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isBetween(Duration.ofMillis(1400), Duration.ofMillis(3000));
        assertThat(account.aws().iam().listUsers().users()).isEmpty();
    }

    @Test
    void lostReply_reachesMoto_butTheClientSeesOnlyATimeout() {
        AwsClients clients = proxy.clients(() -> AwsClients.withTimeouts(Duration.ofMillis(500),
                Duration.ofMillis(1500), List.of()));
        proxy.fail("iam:CreateUser", Fault.LOST_REPLY);

        assertThatThrownBy(() -> clients.iam().createUser(request -> request.userName("carol")))
                .isInstanceOf(SdkClientException.class);

        assertThat(account.aws().iam().listUsers().users()).extracting(User::userName).containsExactly("carol");
        List<Exchange> attempts = proxy.exchanges();
        assertThat(attempts.getFirst().motoSucceeded()).isTrue();
        assertThat(attempts.subList(1, attempts.size())).as("the retries: the user exists")
                .allSatisfy(retry -> assertThat(retry.motoStatus()).isEqualTo(409));
    }

    @Test
    void onlyRequestsWhoseBodyMatches_getTheFault() {
        AwsClients clients = proxy.clients(() -> AwsClients.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2),
                List.of()));
        proxy.fail("iam:CreateUser", body -> body.contains("UserName=dave"), Fault.SERVER_ERROR);

        clients.iam().createUser(request -> request.userName("erin"));
        assertThatThrownBy(() -> clients.iam().createUser(request -> request.userName("dave")))
                .isInstanceOf(Exception.class);
        proxy.heal();
        clients.iam().createUser(request -> request.userName("dave"));

        assertThat(account.aws().iam().listUsers().users()).hasSize(2);
        assertThat(proxy.faultsInjected()).isPositive();
        assertThat(proxy.exchanges()).filteredOn(exchange -> exchange.fault().isPresent())
                .allMatch(exchange -> exchange.requestBody().contains("UserName=dave"));
    }

    private static IamClient rawIam() {
        return IamClient.builder().endpointOverride(proxy.endpoint()).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    private static DynamoDbClient rawDynamoDb() {
        return DynamoDbClient.builder().endpointOverride(proxy.endpoint()).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    private static SsmClient rawSsm() {
        return SsmClient.builder().endpointOverride(proxy.endpoint()).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    private static SesClient rawSes() {
        return SesClient.builder().endpointOverride(proxy.endpoint()).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }
}
