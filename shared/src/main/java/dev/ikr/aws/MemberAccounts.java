package dev.ikr.aws;

import dev.ikr.domain.MemberRole;
import dev.ikr.port.AccountUnreachableException;
import dev.ikr.util.Failures;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The clients of each member account IKR acts in: for account {@code A}, the SDK clients as the hub's
 * {@link AwsClients} builds them (same HTTP client, retry strategy and call counter), acting with the credentials of
 * {@code arn:<partition>:iam::A:role/<MEMBER_ROLE_NAME>}, assumed with STS under the function's session name (and the
 * external id, when set). The SDK's {@link StsAssumeRoleCredentialsProvider} assumes the role on first use and again
 * before the credentials expire. One set per account, built on first use and kept as long as this object.
 */
public final class MemberAccounts implements AutoCloseable {

    private final AwsClients hub;
    private final MemberRole role;
    private final String sessionName;
    private final Map<String, Member> members = new ConcurrentHashMap<>();

    /**
     * @param hub the deployment's own clients: its STS client assumes the roles
     * @param sessionName {@link MemberRole#ROTATOR_SESSION} or {@link MemberRole#DESTRUCTOR_SESSION}
     */
    public MemberAccounts(AwsClients hub, MemberRole role, String sessionName) {
        this.hub = hub;
        this.role = role;
        this.sessionName = sessionName;
    }

    /** The clients of {@code account}; nothing is called until one of them is used. */
    public AwsClients clients(String account) {
        return member(account).clients();
    }

    /**
     * Assumes the member role of {@code account} now (or reuses the credentials it holds), so that a role that is
     * missing, does not trust IKR or is throttled shows as one account's failure before anything else is done.
     *
     * @throws AccountUnreachableException saying which role and why
     */
    public void reach(String account) {
        Member member = member(account);
        try {
            member.credentials().resolveCredentials();
        } catch (SdkException e) {
            throw new AccountUnreachableException(account, why(member.roleArn(), e));
        }
    }

    /** The partition of the hub's region ({@code aws}, {@code aws-cn}, {@code aws-us-gov}). */
    public String partition() {
        return partitionOf(hub.sts().serviceClientConfiguration().region());
    }

    /** The partition of {@code region}; {@code aws} for a region the SDK does not know. */
    public static String partitionOf(Region region) {
        return Optional.ofNullable(region).map(PartitionMetadata::of).map(PartitionMetadata::id).orElse("aws");
    }

    private Member member(String account) {
        return members.computeIfAbsent(account, id -> {
            String arn = role.arn(partition(), id);
            var credentials = StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(hub.sts())
                    .refreshRequest(request -> request.roleArn(arn).roleSessionName(sessionName)
                            .externalId(role.externalId().orElse(null)))
                    .build();
            return new Member(arn, credentials, hub.withCredentials(credentials));
        });
    }

    /** AWS's answer in words: a missing or untrusting role, a refusal, throttling, or the error as it came. */
    private static String why(String roleArn, SdkException e) {
        Throwable cause = e;
        while (!(cause instanceof AwsServiceException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? "" : service.awsErrorDetails().errorCode();
            if (service.isThrottlingException()) {
                return "STS throttled AssumeRole of " + roleArn + " (" + code + "); the account is retried";
            }
            if (service.statusCode() == 403 || "AccessDenied".equals(code)) {
                return "the role " + roleArn + " cannot be assumed (" + code + "): it is missing, does not trust this"
                        + " function's role, or expects another external id";
            }
            return "AssumeRole of " + roleArn + " failed: " + code + " (HTTP " + service.statusCode() + ")";
        }
        return "AssumeRole of " + roleArn + " failed: " + Failures.describe(e);
    }

    @Override
    public void close() {
        members.values().forEach(member -> member.credentials().close());
        members.clear();
    }

    private record Member(String roleArn, StsAssumeRoleCredentialsProvider credentials, AwsClients clients) {
    }
}
