package dev.ikr.aws;

import dev.ikr.util.Lazy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * One lazily built SDK client per service, sharing one lightweight HTTP client, the retry strategy
 * below and the call counter. Region, credentials and {@code AWS_ENDPOINT_URL} come from the SDK's
 * own environment lookup: nothing here hard-codes an endpoint.
 *
 * <p>Retries: the SDK's standard strategy (AWS's retryable errors, full-jitter exponential backoff, and a
 * token bucket that stops retrying when most calls fail), with up to {@value #MAX_ATTEMPTS} attempts instead
 * of 3. Throttling backs off from 1 s, as the SDK does, but waits at most 5 s between attempts (the SDK: 20 s),
 * so a throttled call keeps trying, slowly, until the 60 s call timeout instead of failing its user after
 * three attempts. Other errors back off from 100 ms to at most 1 s, so an outage or a wrong endpoint fails a
 * call within seconds, and at once when the token bucket is empty. The adaptive strategy is not used: its
 * rate limiter also holds back first attempts, and under steady throttling it made a 30-user run ten times
 * slower.
 *
 * <p>The Lambda client invokes delivery functions ({@code IKR:DELIVER_TO lambda:}) and waits for their answer: it has
 * an HTTP client of its own whose read timeout, like its attempt and call timeouts, is the delivery timeout
 * ({@value #DELIVERY_TIMEOUT_SECONDS} s), so a function that hangs is given up after one attempt, never invoked again
 * by a retry of the same call.
 */
public final class AwsClients {

    /** Attempts per call (the standard strategy's default is 3). */
    public static final int MAX_ATTEMPTS = 15;
    private static final Duration THROTTLING_BASE_DELAY = Duration.ofSeconds(1);
    private static final Duration THROTTLING_MAX_DELAY = Duration.ofSeconds(5);
    private static final Duration ERROR_BASE_DELAY = Duration.ofMillis(100);
    private static final Duration ERROR_MAX_DELAY = Duration.ofSeconds(1);

    /** How long a delivery function may take to answer. */
    public static final int DELIVERY_TIMEOUT_SECONDS = 30;
    private static final Timeouts PRODUCTION = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(20),
            Optional.empty(), Duration.ofSeconds(60), Duration.ofSeconds(DELIVERY_TIMEOUT_SECONDS));

    private final AwsCallCounter callCounter;
    private final List<ExecutionInterceptor> extraInterceptors;
    private final Timeouts timeouts;
    /** Another account's credentials (an assumed member role); empty: the SDK's default chain. */
    private final Optional<AwsCredentialsProvider> credentials;
    private final Lazy<SdkHttpClient> http;
    private final Lazy<StsClient> sts;
    private final Lazy<IamClient> iam;
    private final Lazy<DynamoDbClient> dynamoDb;
    private final Lazy<SsmClient> ssm;
    private final Lazy<SesClient> ses;
    private final Lazy<KmsClient> kms;
    private final Lazy<DeliveryClients> delivery;

    public AwsClients() {
        this(List.of());
    }

    /** With interceptors after the call counter (tests inject faults this way). */
    public AwsClients(List<ExecutionInterceptor> extraInterceptors) {
        this(PRODUCTION, extraInterceptors);
    }

    private AwsClients(Timeouts timeouts, List<ExecutionInterceptor> extraInterceptors) {
        this(timeouts, extraInterceptors, new AwsCallCounter(), Optional.empty(), null);
    }

    /** Clients acting with {@code credentials}, sharing {@code shared}'s HTTP client, when given. */
    private AwsClients(Timeouts timeouts, List<ExecutionInterceptor> extraInterceptors, AwsCallCounter callCounter,
            Optional<AwsCredentialsProvider> credentials, AwsClients shared) {
        this.timeouts = timeouts;
        this.extraInterceptors = List.copyOf(extraInterceptors);
        this.callCounter = callCounter;
        this.credentials = credentials;
        this.http = shared != null ? shared.http : Lazy.of(() -> UrlConnectionHttpClient.builder()
                .connectionTimeout(timeouts.connect())
                .socketTimeout(timeouts.socket())
                .build());
        this.sts = Lazy.of(() -> build(StsClient.builder()));
        this.iam = Lazy.of(() -> build(IamClient.builder()));
        this.dynamoDb = Lazy.of(() -> build(DynamoDbClient.builder()));
        this.ssm = Lazy.of(() -> build(SsmClient.builder()));
        this.ses = Lazy.of(() -> build(SesClient.builder()));
        this.kms = Lazy.of(() -> build(KmsClient.builder()));
        this.delivery = Lazy.of(DeliveryClients::new);
    }

    /**
     * Clients with short timeouts, for tests that make AWS stall: each attempt (connect and read included)
     * gets {@code attempt}, the whole call with its retries gets {@code call}. Everything else, the retry
     * strategy included, is as in production.
     */
    public static AwsClients withTimeouts(Duration attempt, Duration call, List<ExecutionInterceptor> interceptors) {
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(call, "call");
        return new AwsClients(new Timeouts(attempt, attempt, Optional.of(attempt), call, call), interceptors);
    }

    /**
     * Clients as in production, but a delivery function gets {@code delivery} to answer (tests of a function that
     * hangs).
     */
    public static AwsClients withDeliveryTimeout(Duration delivery, List<ExecutionInterceptor> interceptors) {
        Objects.requireNonNull(delivery, "delivery");
        return new AwsClients(new Timeouts(PRODUCTION.connect(), PRODUCTION.socket(), PRODUCTION.attempt(),
                PRODUCTION.call(), delivery), interceptors);
    }

    /**
     * Clients that act with {@code credentials} (a member account's assumed role), built on first use like these,
     * sharing this one's HTTP client, retry strategy, timeouts, interceptors and call counter.
     */
    public AwsClients withCredentials(AwsCredentialsProvider memberCredentials) {
        Objects.requireNonNull(memberCredentials, "memberCredentials");
        return new AwsClients(timeouts, extraInterceptors, callCounter, Optional.of(memberCredentials), this);
    }

    public IamClient iam() {
        return iam.get();
    }

    /** STS, for assuming the member accounts' roles. */
    public StsClient sts() {
        return sts.get();
    }

    /** The HTTP client every client here shares (the Organizations adapter sends its signed requests with it). */
    public SdkHttpClient httpClient() {
        return http.get();
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb.get();
    }

    /**
     * A new client of any service, configured as the functions' own clients are (HTTP client, retries, timeouts,
     * call counter): {@code scripts/ikr expire} builds its stream reader this way.
     */
    public <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(B builder) {
        credentials.ifPresent(builder::credentialsProvider);
        return builder.httpClient(http.get()).overrideConfiguration(overrides()).build();
    }

    public SsmClient ssm() {
        return ssm.get();
    }

    public SesClient ses() {
        return ses.get();
    }

    public KmsClient kms() {
        return kms.get();
    }

    /** Secrets Manager, for {@code secretsmanager:} delivery targets. */
    public SecretsManagerClient secretsManager() {
        return delivery.get().secretsManager.get();
    }

    /** Lambda, for {@code lambda:} delivery targets: its calls time out after the delivery timeout. */
    public LambdaClient lambda() {
        return delivery.get().lambda.get();
    }

    public AwsCallCounter callCounter() {
        return callCounter;
    }

    /** A strategy of its own for each client, so that one service's throttling never stops another's retries. */
    static RetryStrategy retryStrategy() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(MAX_ATTEMPTS)
                .throttlingBackoffStrategy(
                        BackoffStrategy.exponentialDelay(THROTTLING_BASE_DELAY, THROTTLING_MAX_DELAY))
                .backoffStrategy(BackoffStrategy.exponentialDelay(ERROR_BASE_DELAY, ERROR_MAX_DELAY))
                .build();
    }

    private ClientOverrideConfiguration overrides() {
        var overrides = ClientOverrideConfiguration.builder()
                .retryStrategy(retryStrategy())
                .executionInterceptors(concat(callCounter, extraInterceptors))
                .apiCallTimeout(timeouts.call());
        timeouts.attempt().ifPresent(overrides::apiCallAttemptTimeout);
        return overrides.build();
    }

    private static List<ExecutionInterceptor> concat(ExecutionInterceptor first, List<ExecutionInterceptor> rest) {
        var all = new ArrayList<ExecutionInterceptor>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /**
     * The delivery targets' clients, built on first use. Their SDK modules are optional (the destructor's jar has
     * none): nothing that names their types may run before a delivery client is asked for, not even the linking of
     * a lambda in {@link AwsClients}' constructor, so they live here.
     */
    private final class DeliveryClients {

        private final Lazy<SecretsManagerClient> secretsManager = Lazy.of(
                () -> build(SecretsManagerClient.builder()));
        private final Lazy<SdkHttpClient> http = Lazy.of(() -> UrlConnectionHttpClient.builder()
                .connectionTimeout(timeouts.connect())
                .socketTimeout(timeouts.delivery())
                .build());
        private final Lazy<LambdaClient> lambda = Lazy.of(() -> {
            var builder = LambdaClient.builder().httpClient(http.get())
                    .overrideConfiguration(overrides().toBuilder()
                            .apiCallAttemptTimeout(timeouts.delivery())
                            .apiCallTimeout(timeouts.delivery())
                            .build());
            credentials.ifPresent(builder::credentialsProvider);
            return builder.build();
        });
    }

    /**
     * The HTTP client's connect and read timeouts, the SDK's per-attempt timeout (if any) and per-call timeout, and
     * the time a delivery function may take.
     */
    private record Timeouts(Duration connect, Duration socket, Optional<Duration> attempt, Duration call,
            Duration delivery) {
    }
}
