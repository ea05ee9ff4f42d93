package dev.ikr.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ikr.port.OrganizationDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * The organization's accounts, read from AWS Organizations. The SDK's Organizations module is not served by the
 * registry this build uses, so this adapter speaks the service's JSON 1.1 protocol itself: a POST of
 * {@code X-Amz-Target: AWSOrganizationsV20161128.<Operation>}, signed with SigV4 by the SDK's own
 * {@link AwsV4HttpSigner} (service {@code organizations}, region {@code us-east-1} in the {@code aws} partition, where
 * the service's one endpoint is) with the SDK's default credentials, and sent through the functions' shared HTTP
 * client. It follows {@code NextToken} to the last page, retries throttling and server errors a bounded number of
 * times, and counts each call in the functions' call counter ({@code organizations:ListAccounts}).
 *
 * <p>The endpoint is {@code AWS_ENDPOINT_URL_ORGANIZATIONS} (or the system property
 * {@code aws.endpointUrlOrganizations}), else {@code AWS_ENDPOINT_URL} ({@code aws.endpointUrl}), as the SDK reads
 * them, else the partition's Organizations endpoint.
 */
public final class OrganizationsAccounts implements OrganizationDirectory {

    /** Attempts per call, the first included. */
    static final int MAX_ATTEMPTS = 8;
    private static final String TARGET_PREFIX = "AWSOrganizationsV20161128.";
    private static final String SERVICE = "organizations";
    private static final Duration THROTTLING_BASE_DELAY = Duration.ofSeconds(1);
    private static final Duration THROTTLING_MAX_DELAY = Duration.ofSeconds(5);
    private static final Duration ERROR_BASE_DELAY = Duration.ofMillis(100);
    private static final Duration ERROR_MAX_DELAY = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Waits between attempts; tests pass one that does not sleep. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final AwsCallCounter callCounter;
    private final URI endpoint;
    private final String signingRegion;
    private final Sleeper sleeper;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /**
     * Reads the organization of the caller's credentials, through the clients' HTTP client and call counter.
     *
     * @param partition the partition the functions run in ({@code aws}, {@code aws-cn}, {@code aws-us-gov})
     */
    public OrganizationsAccounts(AwsClients clients, AwsCredentialsProvider credentials, String partition) {
        this(clients.httpClient(), credentials, clients.callCounter(), endpoint(partition),
                signingRegion(partition), Thread::sleep);
    }

    OrganizationsAccounts(SdkHttpClient http, AwsCredentialsProvider credentials, AwsCallCounter callCounter,
            URI endpoint, String signingRegion, Sleeper sleeper) {
        this.http = http;
        this.credentials = credentials;
        this.callCounter = callCounter;
        this.endpoint = endpoint;
        this.signingRegion = signingRegion;
        this.sleeper = sleeper;
    }

    @Override
    public List<String> activeAccounts() {
        var accounts = new ArrayList<String>();
        paginate("ListAccounts", request -> { }, page -> activeIds(page.path("Accounts"), accounts));
        return accounts;
    }

    @Override
    public List<String> activeAccountsUnder(List<String> organizationalUnits) {
        Set<String> accounts = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> units = new ArrayDeque<>(organizationalUnits);
        while (!units.isEmpty()) {
            String unit = units.removeFirst();
            if (!seen.add(unit)) {
                continue;
            }
            var found = new ArrayList<String>();
            paginate("ListAccountsForParent", request -> request.put("ParentId", unit),
                    page -> activeIds(page.path("Accounts"), found));
            accounts.addAll(found);
            paginate("ListOrganizationalUnitsForParent", request -> request.put("ParentId", unit),
                    page -> page.path("OrganizationalUnits").forEach(child -> units.addLast(child.path("Id").asText())));
        }
        return List.copyOf(accounts);
    }

    /** The ids of the accounts whose state is {@code ACTIVE} ({@code State}, or the older {@code Status}). */
    private static void activeIds(JsonNode accounts, List<String> into) {
        for (JsonNode account : accounts) {
            String state = account.hasNonNull("State") ? account.path("State").asText()
                    : account.path("Status").asText();
            if ("ACTIVE".equals(state.toUpperCase(Locale.ROOT))) {
                into.add(account.path("Id").asText());
            }
        }
    }

    private void paginate(String operation, Consumer<ObjectNode> parameters, Consumer<JsonNode> page) {
        Optional<String> nextToken = Optional.empty();
        do {
            ObjectNode request = JSON.createObjectNode();
            parameters.accept(request);
            nextToken.ifPresent(token -> request.put("NextToken", token));
            JsonNode response = call(operation, request);
            page.accept(response);
            nextToken = Optional.ofNullable(response.get("NextToken")).filter(JsonNode::isTextual)
                    .map(JsonNode::asText).filter(token -> !token.isEmpty());
        } while (nextToken.isPresent());
    }

    /** One call, counted once, with its retries. */
    private JsonNode call(String operation, ObjectNode request) {
        callCounter.count(SERVICE + ":" + operation);
        byte[] body = request.toString().getBytes(StandardCharsets.UTF_8);
        for (int attempt = 1; ; attempt++) {
            Reply reply;
            try {
                reply = send(operation, body);
            } catch (IOException | UncheckedIOException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw new OrganizationsCallException(operation, "no answer after " + attempt + " attempts: "
                            + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
                pause(attempt, false);
                continue;
            }
            if (reply.status() / 100 == 2) {
                return reply.json();
            }
            String errorType = reply.errorType();
            boolean throttled = reply.status() == 429 || errorType.equals("TooManyRequestsException")
                    || errorType.equals("ThrottlingException");
            boolean retryable = throttled || reply.status() >= 500;
            if (!retryable || attempt >= MAX_ATTEMPTS) {
                throw new OrganizationsCallException(operation, errorType + " (HTTP " + reply.status() + ")"
                        + reply.errorMessage().map(message -> ": " + message).orElse("")
                        + (retryable ? ", after " + attempt + " attempts" : ""));
            }
            pause(attempt, throttled);
        }
    }

    /** Full jitter, exponential from the base, capped, as the SDK's standard strategy waits. */
    private void pause(int attempt, boolean throttled) {
        Duration base = throttled ? THROTTLING_BASE_DELAY : ERROR_BASE_DELAY;
        Duration max = throttled ? THROTTLING_MAX_DELAY : ERROR_MAX_DELAY;
        long ceiling = Math.min(max.toMillis(), base.toMillis() << Math.min(attempt - 1, 20));
        try {
            sleeper.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrganizationsCallException("(retry)", "interrupted while waiting to retry");
        }
    }

    private Reply send(String operation, byte[] body) throws IOException {
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", TARGET_PREFIX + operation)
                .putHeader("Content-Length", Integer.toString(body.length))
                .build();
        SignedRequest signed = signer.sign(request -> request
                .identity(credentials.resolveCredentials())
                .request(unsigned)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, signingRegion));
        HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                .request(signed.request())
                .contentStreamProvider(signed.payload().orElse(null))
                .build()).call();
        byte[] answer;
        try (InputStream in = response.responseBody().map(InputStream.class::cast)
                .orElse(InputStream.nullInputStream())) {
            answer = in.readAllBytes();
        }
        return new Reply(response.httpResponse().statusCode(), answer);
    }

    /** The endpoint: the SDK's endpoint settings, else the partition's. */
    static URI endpoint(String partition) {
        return configuredEndpoint().map(URI::create).orElseGet(() -> URI.create(switch (partition) {
            case "aws-cn" -> "https://organizations.cn-northwest-1.amazonaws.com.cn";
            case "aws-us-gov" -> "https://organizations.us-gov-west-1.amazonaws.com";
            default -> "https://organizations.us-east-1.amazonaws.com";
        }));
    }

    private static Optional<String> configuredEndpoint() {
        return firstSet(System.getProperty("aws.endpointUrlOrganizations"),
                System.getenv("AWS_ENDPOINT_URL_ORGANIZATIONS"),
                System.getProperty("aws.endpointUrl"), System.getenv("AWS_ENDPOINT_URL"));
    }

    private static Optional<String> firstSet(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return Optional.of(value.strip());
            }
        }
        return Optional.empty();
    }

    static String signingRegion(String partition) {
        return switch (partition) {
            case "aws-cn" -> "cn-northwest-1";
            case "aws-us-gov" -> "us-gov-west-1";
            default -> "us-east-1";
        };
    }

    /** A call that failed for good: the operation and AWS's error, never a credential. */
    public static final class OrganizationsCallException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        OrganizationsCallException(String operation, String reason) {
            super("organizations:" + operation + " failed: " + reason);
        }
    }

    private record Reply(int status, byte[] body) {

        JsonNode json() {
            try {
                return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Organizations answered with something that is not JSON", e);
            }
        }

        /** {@code __type} without its namespace ({@code com.amazonaws...#TooManyRequestsException}). */
        String errorType() {
            try {
                JsonNode error = JSON.readTree(body);
                String type = error == null ? "" : error.path("__type").asText("");
                return type.isEmpty() ? "HTTP" + status : type.substring(type.lastIndexOf('#') + 1);
            } catch (IOException notJson) {
                return "HTTP" + status;
            }
        }

        Optional<String> errorMessage() {
            try {
                JsonNode error = JSON.readTree(body);
                if (error == null) {
                    return Optional.empty();
                }
                JsonNode message = error.has("message") ? error.get("message") : error.get("Message");
                return Optional.ofNullable(message).map(JsonNode::asText);
            } catch (IOException notJson) {
                return Optional.empty();
            }
        }
    }
}
