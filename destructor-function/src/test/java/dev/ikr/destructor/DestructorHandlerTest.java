package dev.ikr.destructor;

import static dev.ikr.destructor.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ikr.config.DestructorConfig;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.EncryptionKey;
import dev.ikr.domain.KeyStatus;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationRecord;
import dev.ikr.local.LocalContext;
import dev.ikr.message.MessageRenderer;
import dev.ikr.metrics.FunctionMetrics;
import dev.ikr.rotation.Destructor;
import dev.ikr.testbed.EmfLines;
import dev.ikr.testbed.LogCapture;
import dev.ikr.testing.InMemoryIdentityDirectory;
import dev.ikr.testing.InMemoryPendingDeletions;
import dev.ikr.testing.InMemoryRecordAuthenticator;
import dev.ikr.testing.InMemorySecretStore;
import dev.ikr.testing.RecordingMailer;
import dev.ikr.testing.Variables;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The handler over batches as Lambda delivers them ({@code src/test/resources/events/batch-*.json}). */
class DestructorHandlerTest {

    private static final Instant NOW = Instant.parse("2026-03-06T12:00:00Z");
    private static final String ACCOUNT = "123456789012";
    private static final DestructorConfig CONFIG = DestructorConfig.from(
            Variables.withSender("IAM_KEY_ROTATOR_TABLE", "iam-key-rotator"));

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final List<String> journal = new CopyOnWriteArrayList<>();
    private final InMemoryIdentityDirectory iam = new InMemoryIdentityDirectory(clock, journal);
    private final InMemoryPendingDeletions table = new InMemoryPendingDeletions(journal);
    private final InMemorySecretStore ssm = new InMemorySecretStore(journal);
    private final RecordingMailer mailer = new RecordingMailer(journal);
    private final DestructorHandler handler = new DestructorHandler(CONFIG, new Destructor(iam, table, ssm,
            new InMemoryRecordAuthenticator(), mailer,
            new MessageRenderer(), new Destructor.Options(CONFIG.encryptKeyPair(), CONFIG.retryAfter(),
                    CONFIG.maxDeleteAttempts(), CONFIG.maxConcurrency()), clock),
            FunctionMetrics.toStandardOutput(CONFIG.metricsNamespace()));

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    // ---- helpers ------------------------------------------------------------------------------

    private static String oldKey(String user) {
        return "AKIAOLD" + user.toUpperCase(Locale.ROOT) + "0".repeat(13 - user.length());
    }

    private static String newKey(String user) {
        return "AKIANEW" + user.toUpperCase(Locale.ROOT) + "0".repeat(13 - user.length());
    }

    /** A user with its old key and the active replacement the rotator mailed (as in the events' old images). */
    private void rotated(String user) {
        iam.user(user, Map.of("IKR:EMAIL", user + "@example.com"))
                .key(user, oldKey(user), KeyStatus.ACTIVE, NOW.minus(Duration.ofDays(95)))
                .key(user, newKey(user), KeyStatus.ACTIVE, NOW.minus(Duration.ofDays(5)));
        ssm.putUserKey(user, EncryptionKey.generate(new SecureRandom()), newKey(user));
    }

    private StreamsEventResponse handle(DynamodbEvent event) {
        return handler.handleRequest(event, LocalContext.forAccount("ikr-destructor", "eu-west-1", ACCOUNT));
    }

    private static List<String> failedItems(StreamsEventResponse response) {
        return response.getBatchItemFailures().stream().map(BatchItemFailure::getItemIdentifier).toList();
    }

    // ---- tests --------------------------------------------------------------------------------

    @Test
    void reportsExactlyTheMalformedAndFailedRecords_asBatchItemFailures_andFinishesTheOthers() {
        rotated("alice");
        rotated("bob");
        rotated("carol");
        iam.refuseDeletionsFor("bob");
        table.fail(InMemoryPendingDeletions.Operation.PUT_BACK);

        // 100 alice expired, 200 a removal without old image, 300 bob expired, 400 an insert, 500 carol deleted by hand
        StreamsEventResponse response = handle(event("batch-mixed.json"));

        assertThat(failedItems(response)).containsExactly("200", "300");
        assertThat(iam.keyIds("alice")).as("deleted").containsExactly(newKey("alice"));
        assertThat(iam.keyIds("bob")).as("IAM refused").containsExactly(oldKey("bob"), newKey("bob"));
        assertThat(iam.keyIds("carol")).as("cancelled").containsExactly(oldKey("carol"), newKey("carol"));
        assertThat(ssm.stored().keySet()).containsExactlyInAnyOrder("bob", "carol");
        assertThat(table.records()).isEmpty();
        assertThat(mailer.sent()).singleElement().satisfies(mail -> {
            assertThat(mail.to()).containsExactly(EmailAddress.of("alice@example.com"));
            assertThat(mail.subject()).contains(ACCOUNT);
            assertThat(mail.text()).contains(oldKey("alice"));
        });
    }

    @Test
    void writesTheBatchsMetrics_asOneEmbeddedMetricFormatLineOnStandardOutput_everyResultCounted() {
        rotated("alice");
        rotated("bob");
        rotated("carol");
        iam.refuseDeletionsFor("bob");
        table.fail(InMemoryPendingDeletions.Operation.PUT_BACK);

        // 100 alice expired, 200 a removal without old image, 300 bob expired, 400 an insert, 500 carol deleted by hand
        handle(event("batch-mixed.json"));

        var batch = EmfLines.documents(logs.standardOutput());
        assertThat(batch).hasSize(1);
        assertThat(batch.getFirst().path("FunctionName").asText()).isEqualTo("ikr-destructor");
        assertThat(batch.getFirst().path("_aws").path("CloudWatchMetrics").path(0).path("Namespace").asText())
                .isEqualTo("IKR");
        assertThat(EmfLines.metrics(batch.getFirst())).containsEntry("Deleted", 1L).containsEntry("Malformed", 1L)
                .containsEntry("Failed", 1L).containsEntry("Ignored", 1L).containsEntry("Cancelled", 1L)
                .containsEntry("AlreadyGone", 0L).containsEntry("Requeued", 0L).containsEntry("NeedsAttention", 0L)
                .containsEntry("AwsCalls", 0L).containsEntry("RunFailed", 0L).containsKey("RunDuration");
        assertThat(logs.standardOutput().getFirst()).doesNotContain("alice", "bob", "carol", "AKIA");
    }

    @Test
    void reportsNoFailures_whenEveryRecordIsFinished_evenARequeuedOne() {
        rotated("alice");
        rotated("bob");
        iam.refuseDeletionsFor("bob");

        // 100 alice expired, 200 bob expired
        StreamsEventResponse response = handle(event("batch-two-expired.json"));

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(iam.keyIds("alice")).containsExactly(newKey("alice"));
        RotationRecord retry = table.find("bob", oldKey("bob")).orElseThrow();
        assertThat(retry.state()).isEqualTo(RecordState.PENDING_DELETION);
        assertThat(retry.attempts()).isEqualTo(1);
        assertThat(retry.deleteOn()).contains(NOW.plus(CONFIG.retryAfter()));
    }

    @Test
    void reportsAMalformedRecordWithoutEventId_byItsSequenceNumber() {
        // 100 a modification, 200 a record without eventID nor eventName
        StreamsEventResponse response = handle(event("batch-modify-and-unnamed.json"));

        assertThat(failedItems(response)).containsExactly("200");
    }

    @Test
    void oneRecordWithAnAttemptCountBeyondIntRange_failsOnlyThatRecord() {
        rotated("alice");
        rotated("bob");

        // 100 alice expired, 200 bob expired with attempts 4294967296
        StreamsEventResponse response = handle(event("batch-attempts-beyond-int.json"));

        assertThat(failedItems(response)).containsExactly("200");
        assertThat(iam.keyIds("alice")).containsExactly(newKey("alice"));
        assertThat(iam.keyIds("bob")).containsExactly(oldKey("bob"), newKey("bob"));
    }

    @Test
    void answersAnEmptyBatch_withNoFailures() {
        assertThat(handle(new DynamodbEvent()).getBatchItemFailures()).isEmpty();
        assertThat(handle(event("batch-empty.json")).getBatchItemFailures()).isEmpty();
        assertThat(mailer.sent()).isEmpty();
    }
}
