package dev.ikr.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ikr.domain.CredentialReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.CredentialReportExpiredException;
import software.amazon.awssdk.services.iam.model.GenerateCredentialReportRequest;
import software.amazon.awssdk.services.iam.model.GenerateCredentialReportResponse;
import software.amazon.awssdk.services.iam.model.GetCredentialReportRequest;
import software.amazon.awssdk.services.iam.model.GetCredentialReportResponse;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.ReportFormatType;
import software.amazon.awssdk.services.iam.model.ReportStateType;

/** The adapter's side of the credential report: waiting for it, reading it, and turning every refusal into a reason. */
class IamDirectoryCredentialReportTest {

    private static final String CSV = "user,arn,access_key_1_active,access_key_1_last_rotated,access_key_2_active,"
            + "access_key_2_last_rotated\nalice,arn:aws:iam::123456789012:user/alice,true,2026-11-26T02:56:01+00:00,"
            + "false,N/A\n";
    private static final Instant GENERATED = Instant.parse("2026-11-26T03:00:00Z");

    private final List<Duration> pauses = new ArrayList<>();
    private final StubIam iam = new StubIam();
    private final IamDirectory directory = new IamDirectory(iam, Duration.ofSeconds(5), pauses::add);

    @Test
    void asksAgainWhileTheReportIsBeingGenerated_thenReadsIt() {
        iam.states(ReportStateType.STARTED, ReportStateType.INPROGRESS, ReportStateType.COMPLETE);
        iam.report(() -> report(ReportFormatType.TEXT_CSV, CSV));

        CredentialReport result = directory.credentialReport();

        assertThat(result).isInstanceOfSatisfying(CredentialReport.Ready.class, ready -> {
            assertThat(ready.keys().generatedAt()).isEqualTo(GENERATED);
            assertThat(ready.keys().forUser("alice").orElseThrow().keyCount()).isEqualTo(1);
        });
        assertThat(iam.generateCalls).isEqualTo(3);
        assertThat(pauses).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void givesUp_whenTheReportIsNotReadyWithinTheWait_withoutReadingIt() {
        iam.states(ReportStateType.STARTED, ReportStateType.INPROGRESS);
        iam.report(() -> {
            throw new AssertionError("an unfinished report is not read");
        });

        CredentialReport result = directory.credentialReport();

        assertThat(result).isEqualTo(new CredentialReport.Unavailable(
                "IAM had not finished the credential report after 5.0 s (state INPROGRESS)"));
        assertThat(pauses.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.ofSeconds(5));
        assertThat(pauses).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800),
                Duration.ofMillis(1600), Duration.ofMillis(2000));
        assertThat(iam.generateCalls).as("GenerateCredentialReport calls").isEqualTo(6);
    }

    @Test
    void saysSo_whenTheRoleMayNotGenerateTheReport() {
        iam.failGenerate(IamException.builder().statusCode(403).awsErrorDetails(AwsErrorDetails.builder()
                .errorCode("AccessDenied").errorMessage("User: arn:aws:sts::123456789012:assumed-role/iam-key-creator"
                        + " is not authorized to perform: iam:GenerateCredentialReport").build()).build());

        assertThat(directory.credentialReport()).isEqualTo(
                new CredentialReport.Unavailable("the role may not read the credential report (AccessDenied)"));
    }

    @Test
    void saysSo_whenIamRefusesToHandTheReportOver() {
        iam.states(ReportStateType.COMPLETE);
        iam.report(() -> {
            throw CredentialReportExpiredException.builder().statusCode(410).awsErrorDetails(AwsErrorDetails.builder()
                    .errorCode("ReportExpired").errorMessage("the report is older than 4 hours").build()).build();
        });

        assertThat(directory.credentialReport()).isEqualTo(new CredentialReport.Unavailable(
                "IAM refused the credential report (ReportExpired: the report is older than 4 hours)"));
    }

    @Test
    void saysSo_whenIamCannotBeReached() {
        iam.failGenerate(SdkClientException.create("Unable to execute HTTP request: connect timed out"));

        assertThat(directory.credentialReport()).isEqualTo(new CredentialReport.Unavailable(
                "the credential report could not be had (SdkClientException: Unable to execute HTTP request: connect"
                        + " timed out)"));
    }

    @Test
    void saysSo_whenTheReportCannotBeRead() {
        iam.states(ReportStateType.COMPLETE);
        iam.report(() -> report(ReportFormatType.TEXT_CSV, "user,arn\nalice,arn:aws:iam::123456789012:user/alice\n"));

        assertThat(directory.credentialReport()).isEqualTo(new CredentialReport.Unavailable(
                "the credential report cannot be read: the credential report has no column access_key_1_active"));
    }

    @Test
    void saysSo_whenTheReportIsNotCsv() {
        iam.states(ReportStateType.COMPLETE);
        iam.report(() -> GetCredentialReportResponse.builder().reportFormat("application/json")
                .content(SdkBytes.fromUtf8String("{}")).generatedTime(GENERATED).build());

        assertThat(directory.credentialReport()).isEqualTo(new CredentialReport.Unavailable(
                "the credential report is in format application/json, not text/csv"));
    }

    private static GetCredentialReportResponse report(ReportFormatType format, String csv) {
        return GetCredentialReportResponse.builder().reportFormat(format).content(SdkBytes.fromUtf8String(csv))
                .generatedTime(GENERATED).build();
    }

    /** Only the two calls of the credential report; any other call fails the test. */
    private static final class StubIam implements IamClient {

        private final Deque<ReportStateType> states = new ArrayDeque<>();
        private RuntimeException generateFailure;
        private Supplier<GetCredentialReportResponse> report = () -> {
            throw new AssertionError("no report set up");
        };
        int generateCalls;

        /** The states successive calls return; the last one repeats. */
        void states(ReportStateType... sequence) {
            states.addAll(List.of(sequence));
        }

        void report(Supplier<GetCredentialReportResponse> supplier) {
            report = supplier;
        }

        void failGenerate(RuntimeException failure) {
            generateFailure = failure;
        }

        @Override
        public GenerateCredentialReportResponse generateCredentialReport(GenerateCredentialReportRequest request) {
            generateCalls++;
            if (generateFailure != null) {
                throw generateFailure;
            }
            ReportStateType state = states.size() > 1 ? states.removeFirst() : states.getFirst();
            return GenerateCredentialReportResponse.builder().state(state).build();
        }

        @Override
        public GetCredentialReportResponse getCredentialReport(GetCredentialReportRequest request) {
            return report.get();
        }

        @Override
        public String serviceName() {
            return "iam";
        }

        @Override
        public void close() {
        }
    }
}
