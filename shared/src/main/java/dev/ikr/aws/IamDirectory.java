package dev.ikr.aws;

import dev.ikr.domain.AccessKey;
import dev.ikr.domain.CredentialReport;
import dev.ikr.domain.IamUser;
import dev.ikr.domain.IssuedAccessKey;
import dev.ikr.domain.KeyStatus;
import dev.ikr.domain.KeyUse;
import dev.ikr.port.IdentityDirectory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.EntityType;
import software.amazon.awssdk.services.iam.model.GetCredentialReportResponse;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.ReportFormatType;
import software.amazon.awssdk.services.iam.model.ReportStateType;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.UserDetail;

/** IAM over SDK v2: users with their tags in pages of up to 1000, keys per user, the credential report. */
public final class IamDirectory implements IdentityDirectory {

    private static final int USERS_PER_PAGE = 1000;
    /** How long a run waits for IAM to finish the credential report before it lists every tagged user's keys. */
    static final Duration REPORT_WAIT = Duration.ofSeconds(5);
    /** The first pause between two {@code GenerateCredentialReport} calls; each next pause is twice as long. */
    static final Duration FIRST_REPORT_PAUSE = Duration.ofMillis(200);

    private final IamClient iam;
    private final Duration reportWait;
    private final Pause pause;

    public IamDirectory(IamClient iam) {
        this(iam, REPORT_WAIT, duration -> Thread.sleep(duration.toMillis()));
    }

    /** With a chosen wait for the credential report, and a chosen way to pause (tests pause without sleeping). */
    IamDirectory(IamClient iam, Duration reportWait, Pause pause) {
        this.iam = iam;
        this.reportWait = reportWait;
        this.pause = pause;
    }

    /** Waits between two calls. */
    @FunctionalInterface
    interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    @Override
    public void forEachUser(Consumer<IamUser> consumer) {
        iam.getAccountAuthorizationDetailsPaginator(request -> request
                        .filter(EntityType.USER)
                        .maxItems(USERS_PER_PAGE))
                .forEach(page -> page.userDetailList().forEach(user -> consumer.accept(toUser(user))));
    }

    @Override
    public Optional<IamUser> user(String name) {
        try {
            var user = iam.getUser(request -> request.userName(name)).user();
            return Optional.of(new IamUser(user.userName(), tagsOf(user.tags())));
        } catch (NoSuchEntityException gone) {
            return Optional.empty();
        }
    }

    @Override
    public List<AccessKey> accessKeys(String user) {
        try {
            return iam.listAccessKeysPaginator(request -> request.userName(user))
                    .accessKeyMetadata()
                    .stream()
                    .map(IamDirectory::toAccessKey)
                    .sorted(Comparator.comparing(AccessKey::createdAt))
                    .toList();
        } catch (NoSuchEntityException userGone) {
            return List.of();
        }
    }

    @Override
    public IssuedAccessKey createAccessKey(String user) {
        var created = iam.createAccessKey(request -> request.userName(user)).accessKey();
        return new IssuedAccessKey(created.accessKeyId(), created.secretAccessKey(), created.createDate());
    }

    @Override
    public KeyDeletion deleteAccessKey(String user, String keyId) {
        try {
            iam.deleteAccessKey(request -> request.userName(user).accessKeyId(keyId));
            return KeyDeletion.DELETED;
        } catch (NoSuchEntityException gone) {
            return KeyDeletion.ALREADY_GONE;
        }
    }

    @Override
    public void deactivateAccessKey(String user, String keyId) {
        iam.updateAccessKey(request -> request.userName(user).accessKeyId(keyId).status(StatusType.INACTIVE));
    }

    @Override
    public Optional<KeyUse> lastUse(String keyId) {
        var lastUsed = iam.getAccessKeyLastUsed(request -> request.accessKeyId(keyId)).accessKeyLastUsed();
        if (lastUsed == null || lastUsed.lastUsedDate() == null) {
            return Optional.empty();
        }
        return Optional.of(new KeyUse(lastUsed.lastUsedDate(), lastUsed.serviceName(), lastUsed.region()));
    }

    @Override
    public Optional<String> accountAlias() {
        return iam.listAccountAliases().accountAliases().stream().findFirst();
    }

    /**
     * Asks IAM to generate the report (IAM reuses one younger than four hours), repeating while it is STARTED or
     * INPROGRESS, with pauses of 0.2, 0.4, 0.8... seconds up to {@link #REPORT_WAIT} in all, then reads and parses it.
     */
    @Override
    public CredentialReport credentialReport() {
        Duration waited = Duration.ZERO;
        Duration next = FIRST_REPORT_PAUSE;
        try {
            ReportStateType state = iam.generateCredentialReport().state();
            while (state != ReportStateType.COMPLETE) {
                if (waited.compareTo(reportWait) >= 0) {
                    return new CredentialReport.Unavailable("IAM had not finished the credential report after "
                            + waited.toMillis() / 1000.0 + " s (state " + state + ")");
                }
                Duration step = next.compareTo(reportWait.minus(waited)) < 0 ? next : reportWait.minus(waited);
                pause.sleep(step);
                waited = waited.plus(step);
                next = next.multipliedBy(2);
                state = iam.generateCredentialReport().state();
            }
            return read(iam.getCredentialReport());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CredentialReport.Unavailable("interrupted while waiting for the credential report");
        } catch (SdkException e) {
            return new CredentialReport.Unavailable(refusal(e));
        }
    }

    private static CredentialReport read(GetCredentialReportResponse response) {
        if (response.reportFormat() != null && response.reportFormat() != ReportFormatType.TEXT_CSV) {
            return new CredentialReport.Unavailable("the credential report is in format "
                    + response.reportFormatAsString() + ", not text/csv");
        }
        if (response.content() == null) {
            return new CredentialReport.Unavailable("the credential report came without content");
        }
        Instant generatedAt = response.generatedTime() == null ? Instant.EPOCH : response.generatedTime();
        try {
            return new CredentialReport.Ready(CredentialReportCsv.parse(
                    new String(response.content().asByteArray(), StandardCharsets.UTF_8), generatedAt));
        } catch (IllegalArgumentException e) {
            return new CredentialReport.Unavailable("the credential report cannot be read: " + e.getMessage());
        }
    }

    private static String refusal(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            String code = service.awsErrorDetails().errorCode();
            if (service.statusCode() == 403 || "AccessDenied".equals(code)) {
                return "the role may not read the credential report (" + code + ")";
            }
            return "IAM refused the credential report (" + code + ": " + service.awsErrorDetails().errorMessage()
                    + ")";
        }
        return "the credential report could not be had (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
    }

    private static IamUser toUser(UserDetail detail) {
        return new IamUser(detail.userName(), tagsOf(detail.tags()));
    }

    private static Map<String, String> tagsOf(List<Tag> tags) {
        var byKey = new LinkedHashMap<String, String>();
        for (Tag tag : tags) {
            byKey.put(tag.key(), tag.value());
        }
        return byKey;
    }

    private static AccessKey toAccessKey(AccessKeyMetadata metadata) {
        KeyStatus status = metadata.status() == StatusType.ACTIVE ? KeyStatus.ACTIVE : KeyStatus.INACTIVE;
        return new AccessKey(metadata.accessKeyId(), status, metadata.createDate());
    }
}
