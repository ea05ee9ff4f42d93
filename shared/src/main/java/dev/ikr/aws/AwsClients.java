package dev.ikr.aws;

import dev.ikr.util.Lazy;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * One lazily built SDK client per service, sharing one lightweight HTTP client, the standard retry
 * mode and the call counter. Region, credentials and {@code AWS_ENDPOINT_URL} come from the SDK's
 * own environment lookup: nothing here hard-codes an endpoint.
 */
public final class AwsClients {

    private final AwsCallCounter callCounter = new AwsCallCounter();
    private final List<ExecutionInterceptor> extraInterceptors;
    private final Lazy<SdkHttpClient> http = Lazy.of(() -> UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(Duration.ofSeconds(20))
            .build());
    private final Lazy<IamClient> iam = Lazy.of(() -> IamClient.builder()
            .httpClient(http.get()).overrideConfiguration(overrides()).build());
    private final Lazy<DynamoDbClient> dynamoDb = Lazy.of(() -> DynamoDbClient.builder()
            .httpClient(http.get()).overrideConfiguration(overrides()).build());
    private final Lazy<DynamoDbStreamsClient> dynamoDbStreams = Lazy.of(() -> DynamoDbStreamsClient.builder()
            .httpClient(http.get()).overrideConfiguration(overrides()).build());
    private final Lazy<SsmClient> ssm = Lazy.of(() -> SsmClient.builder()
            .httpClient(http.get()).overrideConfiguration(overrides()).build());
    private final Lazy<SesClient> ses = Lazy.of(() -> SesClient.builder()
            .httpClient(http.get()).overrideConfiguration(overrides()).build());

    public AwsClients() {
        this(List.of());
    }

    /** With interceptors after the call counter (tests inject faults this way). */
    public AwsClients(List<ExecutionInterceptor> extraInterceptors) {
        this.extraInterceptors = List.copyOf(extraInterceptors);
    }

    public IamClient iam() {
        return iam.get();
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb.get();
    }

    /** The table's stream, read by {@code scripts/ikr expire} (Lambda reads it for the functions). */
    public DynamoDbStreamsClient dynamoDbStreams() {
        return dynamoDbStreams.get();
    }

    public SsmClient ssm() {
        return ssm.get();
    }

    public SesClient ses() {
        return ses.get();
    }

    public AwsCallCounter callCounter() {
        return callCounter;
    }

    private ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(RetryMode.STANDARD)
                .executionInterceptors(concat(callCounter, extraInterceptors))
                .apiCallTimeout(Duration.ofSeconds(60))
                .build();
    }

    private static List<ExecutionInterceptor> concat(ExecutionInterceptor first, List<ExecutionInterceptor> rest) {
        var all = new java.util.ArrayList<ExecutionInterceptor>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
