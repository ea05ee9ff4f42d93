package dev.ikr.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ikr.domain.MetricNamespace;
import dev.ikr.local.LocalContext;
import dev.ikr.rotation.Action;
import dev.ikr.rotation.DeletionOutcome;
import dev.ikr.rotation.RunSummary;
import dev.ikr.rotation.UserOutcome;
import dev.ikr.testbed.EmfLines;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FunctionMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
    /** A secret access key as AWS documents its shape; it must never reach a metrics line. */
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final Map<String, Long> CALLS = Map.of("iam:GetAccountAuthorizationDetails", 1L,
            "iam:ListAccessKeys", 3L, "dynamodb:Scan", 1L);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final SteppingClock clock = new SteppingClock(START);
    private final FunctionMetrics metrics = new FunctionMetrics(new MetricNamespace("Security/IKR"),
            new PrintStream(out, true, StandardCharsets.UTF_8), clock);
    private final LocalContext rotatorContext = LocalContext.forAccount("iam-key-creator", "eu-west-1",
            "123456789012");

    private JsonNode single() throws Exception {
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.lines()).as("one line per invocation").hasSize(1);
        return JSON.readTree(text);
    }

    @Test
    void rotatorRun_countsEveryAction_zeroIncluded_thenAwsCallsDurationAndRunFailed() throws Exception {
        var invocation = metrics.start(rotatorContext);
        clock.advance(Duration.ofMillis(2500));
        invocation.rotatorRun(summary(UserOutcome.of("alice", Action.ROTATED, "key was 90 days old"),
                UserOutcome.of("bob", Action.ROTATED, "key was 91 days old"),
                UserOutcome.of("carol", Action.FAILED, "SES refused")), CALLS);

        JsonNode document = single();
        Map<String, Long> values = EmfLines.metrics(document);
        List<String> expectedNames = new ArrayList<>(Arrays.stream(Action.values())
                .map(FunctionMetrics::metricName).toList());
        expectedNames.addAll(List.of("AwsCalls", "RunDuration", "RunFailed"));
        assertThat(values.keySet()).containsExactlyElementsOf(expectedNames)
                .contains("Rotated", "Repaired", "Skipped", "NeedsAttention", "Misconfigured", "Failed", "Deferred",
                        "WouldRotate", "WouldRepair");
        assertThat(values).containsEntry("Rotated", 2L).containsEntry("Failed", 1L).containsEntry("Skipped", 0L)
                .containsEntry("NeedsAttention", 0L).containsEntry("AwsCalls", 5L).containsEntry("RunDuration", 2500L)
                .containsEntry("RunFailed", 1L);
        JsonNode directive = document.path("_aws").path("CloudWatchMetrics").path(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo("Security/IKR");
        assertThat(directive.path("Dimensions")).isEqualTo(JSON.readTree("[[\"FunctionName\"]]"));
        assertThat(document.path("FunctionName").asText()).isEqualTo("iam-key-creator");
        assertThat(document.path("_aws").path("Timestamp").asLong()).isEqualTo(START.toEpochMilli() + 2500);
        for (JsonNode definition : directive.path("Metrics")) {
            assertThat(definition.path("Unit").asText()).isEqualTo(
                    definition.path("Name").asText().equals("RunDuration") ? "Milliseconds" : "Count");
        }
    }

    @Test
    void rotatorRun_withoutAFailedUser_reportsRunFailedZero() throws Exception {
        metrics.start(rotatorContext).rotatorRun(summary(UserOutcome.of("alice", Action.SKIPPED, "not_due")),
                Map.of());

        assertThat(EmfLines.metrics(single())).containsEntry("Skipped", 1L).containsEntry("RunFailed", 0L)
                .containsEntry("AwsCalls", 0L).containsEntry("RunDuration", 0L);
    }

    @Test
    void rotatorRunThatThrew_reportsWhatItKnows_durationCallsAndRunFailed() throws Exception {
        var invocation = metrics.start(rotatorContext);
        clock.advance(Duration.ofSeconds(3));
        invocation.rotatorRunFailed(CALLS);

        assertThat(EmfLines.metrics(single())).containsExactly(Map.entry("AwsCalls", 5L),
                Map.entry("RunDuration", 3000L), Map.entry("RunFailed", 1L));
    }

    @Test
    void destructorBatch_countsEveryResult_zeroIncluded() throws Exception {
        var invocation = metrics.start(LocalContext.forAccount("iam-key-destructor", "eu-west-1", "123456789012"));
        invocation.destructorBatch(List.of(
                DeletionOutcome.of("1", DeletionOutcome.Result.DELETED, "deleted"),
                DeletionOutcome.of("2", DeletionOutcome.Result.ALREADY_GONE, "gone"),
                DeletionOutcome.of("3", DeletionOutcome.Result.DELETED, "deleted"),
                DeletionOutcome.of("4", DeletionOutcome.Result.MALFORMED, "no old image")), Map.of("iam:GetUser", 2L));

        JsonNode document = single();
        Map<String, Long> values = EmfLines.metrics(document);
        List<String> expectedNames = new ArrayList<>(Arrays.stream(DeletionOutcome.Result.values())
                .map(FunctionMetrics::metricName).toList());
        expectedNames.addAll(List.of("AwsCalls", "RunDuration", "RunFailed"));
        assertThat(values.keySet()).containsExactlyElementsOf(expectedNames)
                .contains("Deleted", "AlreadyGone", "Cancelled", "Ignored", "Requeued", "NeedsAttention",
                        "Malformed", "Failed");
        assertThat(values).containsEntry("Deleted", 2L).containsEntry("AlreadyGone", 1L)
                .containsEntry("Malformed", 1L).containsEntry("Failed", 0L).containsEntry("AwsCalls", 2L)
                .containsEntry("RunFailed", 0L);
        assertThat(document.path("FunctionName").asText()).isEqualTo("iam-key-destructor");
    }

    @Test
    void metricNames_areTheCamelCaseOfAnyEnumsConstants_soANewConstantNeedsNoChange() {
        var counts = new EnumMap<Outcome, Integer>(Outcome.class);
        counts.put(Outcome.UNVERIFIED_RECORD, 3);

        assertThat(FunctionMetrics.countEach(Outcome.class, counts)).containsExactly(
                Metric.count("Deleted", 0), Metric.count("UnverifiedRecord", 3), Metric.count("AlreadyGone", 0),
                Metric.count("X", 0));
    }

    @Test
    void writesOnlyNamesAndNumbers_neverAUserAKeyIdOrAReason() throws Exception {
        var invocation = metrics.start(rotatorContext);
        invocation.rotatorRun(summary(new UserOutcome("alice", Action.FAILED, "refused: " + SECRET,
                Optional.of("AKIAIOSFODNN7EXAMPLE"), Optional.of("AKIAI44QH8DHBEXAMPLE"))), CALLS);

        String line = out.toString(StandardCharsets.UTF_8);
        assertThat(line).doesNotContain(SECRET, "alice", "AKIA", "refused", "iam:");
        JsonNode document = single();
        document.fieldNames().forEachRemaining(field -> {
            switch (field) {
                case "_aws", "FunctionName" -> { }
                default -> assertThat(document.path(field).isIntegralNumber()).as(field).isTrue();
            }
        });
        assertThat(document.path("_aws").fieldNames()).toIterable().containsExactly("Timestamp", "CloudWatchMetrics");
    }

    @Test
    void namesTheFunctionUnknown_withoutAContext() throws Exception {
        metrics.start(null).rotatorRunFailed(Map.of());

        assertThat(single().path("FunctionName").asText()).isEqualTo("unknown");
    }

    private static RunSummary summary(UserOutcome... users) {
        return new RunSummary("apply", START, List.of(users), "used");
    }

    /** An enum another engineer might extend, in an order unlike any of IKR's. */
    private enum Outcome { DELETED, UNVERIFIED_RECORD, ALREADY_GONE, X }

    /** A clock that moves only when told, so durations are exact. */
    private static final class SteppingClock extends Clock {

        private Instant now;

        SteppingClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
