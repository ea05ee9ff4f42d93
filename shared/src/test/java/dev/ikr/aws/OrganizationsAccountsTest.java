package dev.ikr.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/** The Organizations adapter's own protocol work: the signed request, pages, retries, state, errors, counting. */
class OrganizationsAccountsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Answers in order; records each request's target, body and authorization. */
    private static final class Answers implements SdkHttpClient {

        final Deque<Map.Entry<Integer, String>> answers = new ArrayDeque<>();
        final List<String> targets = new ArrayList<>();
        final List<JsonNode> bodies = new ArrayList<>();
        final List<String> authorizations = new ArrayList<>();

        Answers then(int status, String body) {
            answers.add(Map.entry(status, body));
            return this;
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() throws IOException {
                    targets.add(request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("?"));
                    authorizations.add(request.httpRequest().firstMatchingHeader("Authorization").orElse(""));
                    try (var in = request.contentStreamProvider().orElseThrow().newStream()) {
                        bodies.add(JSON.readTree(in));
                    }
                    Map.Entry<Integer, String> answer = answers.removeFirst();
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(answer.getKey()).build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(
                                    answer.getValue().getBytes(StandardCharsets.UTF_8))))
                            .build();
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public void close() {
        }
    }

    private final Answers http = new Answers();
    private final AwsCallCounter counter = new AwsCallCounter();
    private final List<Duration> waits = new ArrayList<>();
    private final OrganizationsAccounts organizations = new OrganizationsAccounts(http,
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAEXAMPLE000000001", "not-a-secret")),
            counter, URI.create("https://organizations.us-east-1.amazonaws.com"), "us-east-1", waits::add);

    @Test
    void followsEveryPage_keepsActiveAccountsOnly_andCountsOneCallPerPage() {
        http.then(200, "{\"Accounts\":[{\"Id\":\"111111111111\",\"State\":\"ACTIVE\"},"
                + "{\"Id\":\"222222222222\",\"State\":\"SUSPENDED\"}],\"NextToken\":\"page2\"}")
                .then(200, "{\"Accounts\":[{\"Id\":\"333333333333\",\"Status\":\"ACTIVE\"},"
                        + "{\"Id\":\"444444444444\",\"State\":\"PENDING_CLOSURE\",\"Status\":\"ACTIVE\"}]}");

        assertThat(organizations.activeAccounts()).containsExactly("111111111111", "333333333333");
        assertThat(http.targets).containsOnly("AWSOrganizationsV20161128.ListAccounts");
        assertThat(http.bodies.get(1).path("NextToken").asText()).isEqualTo("page2");
        assertThat(http.authorizations).allSatisfy(authorization -> assertThat(authorization)
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE000000001/")
                .contains("/us-east-1/organizations/aws4_request"));
        assertThat(counter.snapshot()).containsExactly(Map.entry("organizations:ListAccounts", 2L));
    }

    @Test
    void walksTheUnitsAndTheirChildren_eachAccountOnce() {
        http.then(200, "{\"Accounts\":[{\"Id\":\"111111111111\",\"State\":\"ACTIVE\"}]}")
                .then(200, "{\"OrganizationalUnits\":[{\"Id\":\"ou-ab12-child0001\"}]}")
                .then(200, "{\"Accounts\":[{\"Id\":\"222222222222\",\"State\":\"ACTIVE\"},"
                        + "{\"Id\":\"111111111111\",\"State\":\"ACTIVE\"}]}")
                .then(200, "{\"OrganizationalUnits\":[]}");

        assertThat(organizations.activeAccountsUnder(List.of("ou-ab12-parent01")))
                .containsExactly("111111111111", "222222222222");
        assertThat(http.bodies).extracting(body -> body.path("ParentId").asText())
                .containsExactly("ou-ab12-parent01", "ou-ab12-parent01", "ou-ab12-child0001", "ou-ab12-child0001");
    }

    @Test
    void retriesThrottlingAndServerErrors_aBoundedNumberOfTimes() {
        http.then(400, "{\"__type\":\"com.amazon.organizations#TooManyRequestsException\",\"Message\":\"slow\"}")
                .then(500, "{\"__type\":\"ServiceException\"}")
                .then(200, "{\"Accounts\":[{\"Id\":\"111111111111\",\"State\":\"ACTIVE\"}]}");

        assertThat(organizations.activeAccounts()).containsExactly("111111111111");
        assertThat(waits).hasSize(2);
        assertThat(waits.getFirst()).isLessThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(counter.snapshot()).containsEntry("organizations:ListAccounts", 1L);

        for (int i = 0; i < OrganizationsAccounts.MAX_ATTEMPTS; i++) {
            http.then(400, "{\"__type\":\"TooManyRequestsException\",\"Message\":\"slow\"}");
        }
        assertThatThrownBy(organizations::activeAccounts)
                .hasMessage("organizations:ListAccounts failed: TooManyRequestsException (HTTP 400): slow, after 8"
                        + " attempts");
    }

    @Test
    void refusalsAreNotRetried_andSayWhy() {
        http.then(400, "{\"__type\":\"AccessDeniedException\",\"message\":\"not the management account\"}");

        assertThatThrownBy(organizations::activeAccounts)
                .hasMessage("organizations:ListAccounts failed: AccessDeniedException (HTTP 400): not the management"
                        + " account");
        assertThat(waits).isEmpty();
    }

    @Test
    void theEndpointIsThePartitions_unlessConfigured() {
        String previous = System.getProperty("aws.endpointUrl");
        System.clearProperty("aws.endpointUrl");
        try {
            if (System.getenv("AWS_ENDPOINT_URL") == null && System.getenv("AWS_ENDPOINT_URL_ORGANIZATIONS") == null) {
                assertThat(OrganizationsAccounts.endpoint("aws"))
                        .hasToString("https://organizations.us-east-1.amazonaws.com");
                assertThat(OrganizationsAccounts.endpoint("aws-cn"))
                        .hasToString("https://organizations.cn-northwest-1.amazonaws.com.cn");
            }
            System.setProperty("aws.endpointUrlOrganizations", "http://127.0.0.1:4566");
            assertThat(OrganizationsAccounts.endpoint("aws")).hasToString("http://127.0.0.1:4566");
        } finally {
            System.clearProperty("aws.endpointUrlOrganizations");
            if (previous != null) {
                System.setProperty("aws.endpointUrl", previous);
            }
        }
        assertThat(OrganizationsAccounts.signingRegion("aws-us-gov")).isEqualTo("us-gov-west-1");
    }

}
