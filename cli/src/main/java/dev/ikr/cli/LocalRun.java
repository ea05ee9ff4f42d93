package dev.ikr.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ikr.aws.AwsClients;
import dev.ikr.local.LocalContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sts.StsClient;

/** What every local command shares: the clients, the pinned clock, the account, JSON in and out. */
final class LocalRun {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LocalRun() {
    }

    /**
     * A clock that reads {@code now} at start and then ticks, or the system clock.
     *
     * @param now an ISO-8601 instant ({@code 2027-03-01T12:00:00Z}) or date ({@code 2027-03-01}, midnight UTC)
     */
    static Clock clock(Optional<String> now) {
        if (now.isEmpty()) {
            return Clock.systemUTC();
        }
        Instant pinned = parseInstant(now.get());
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), pinned));
    }

    static Instant parseInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                throw new IllegalArgumentException("--now must be an ISO-8601 instant like 2027-03-01T12:00:00Z"
                        + " or a date like 2027-03-01, not '" + text + "'");
            }
        }
    }

    /** A Lambda context for the function, in the account of {@code ACCOUNT_ID} or of the caller's credentials. */
    static LocalContext context(String functionName, AwsClients clients) {
        String region = new DefaultAwsRegionProviderChain().getRegion().id();
        String account = Optional.ofNullable(System.getenv("ACCOUNT_ID")).filter(id -> !id.isBlank())
                .orElseGet(LocalRun::callerAccount);
        return LocalContext.forAccount(functionName, region, account);
    }

    private static String callerAccount() {
        try (StsClient sts = StsClient.builder()
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build()) {
            return sts.getCallerIdentity().account();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readEvent(Optional<Path> file, String defaultResource) throws IOException {
        if (file.isPresent()) {
            return JSON.readValue(Files.readAllBytes(file.get()), Map.class);
        }
        try (InputStream in = LocalRun.class.getResourceAsStream("/" + defaultResource)) {
            return JSON.readValue(in, Map.class);
        }
    }

    /** The original project's iam-user-tags.json: {@code {"user": {"IKR:EMAIL": "...", ...}}}, in file order. */
    static Map<String, Map<String, String>> readUserTags(Path file) throws IOException {
        return JSON.readValue(Files.readAllBytes(file),
                new com.fasterxml.jackson.core.type.TypeReference<java.util.LinkedHashMap<String, Map<String, String>>>() { });
    }

    static void print(Object result) {
        try {
            System.out.println(JSON.writeValueAsString(result));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the result could not be written as JSON", e);
        }
    }
}
