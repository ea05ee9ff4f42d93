package dev.ikr.cli;

import dev.ikr.aws.AwsClients;
import dev.ikr.cli.rotateself.KeyPair;
import dev.ikr.cli.rotateself.KeySessions;
import dev.ikr.cli.rotateself.NewKey;
import dev.ikr.domain.AccessKey;
import dev.ikr.domain.KeyStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * IAM and STS clients signed with one given key each (never the default credential chain), built by
 * {@link AwsClients#build} like every other client: same HTTP client, retries, timeouts and call counter.
 */
final class AwsKeySessions implements KeySessions {

    private final AwsClients clients;
    private final Region region;

    AwsKeySessions(AwsClients clients, Region region) {
        this.clients = clients;
        this.region = region;
    }

    /** Credentials that sign with exactly {@code key}. */
    static StaticCredentialsProvider credentials(KeyPair key) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
    }

    @Override
    public KeySession signedWith(KeyPair key) {
        var signer = credentials(key);
        return new Session(clients.build(IamClient.builder().credentialsProvider(signer).region(region)),
                clients.build(StsClient.builder().credentialsProvider(signer).region(region)));
    }

    private record Session(IamClient iam, StsClient sts) implements KeySession {

        /** 403 from STS ({@code InvalidClientTokenId}, {@code SignatureDoesNotMatch}): the key is not accepted. */
        private static final int FORBIDDEN = 403;

        @Override
        public Optional<String> callerArn() {
            try {
                return Optional.of(sts.getCallerIdentity().arn());
            } catch (StsException rejected) {
                if (rejected.statusCode() == FORBIDDEN) {
                    return Optional.empty();
                }
                throw rejected;
            }
        }

        @Override
        public List<AccessKey> accessKeys(String user) {
            return iam.listAccessKeysPaginator(request -> request.userName(user)).accessKeyMetadata().stream()
                    .map(key -> new AccessKey(key.accessKeyId(),
                            key.status() == StatusType.ACTIVE ? KeyStatus.ACTIVE : KeyStatus.INACTIVE,
                            key.createDate()))
                    .sorted(Comparator.comparing(AccessKey::createdAt))
                    .toList();
        }

        @Override
        public NewKey createAccessKey(String user) {
            var created = iam.createAccessKey(request -> request.userName(user)).accessKey();
            return new NewKey(user, new KeyPair(created.accessKeyId(), created.secretAccessKey()),
                    Optional.ofNullable(created.createDate()).orElseGet(Instant::now));
        }

        @Override
        public void deactivateAccessKey(String user, String keyId) {
            iam.updateAccessKey(request -> request.userName(user).accessKeyId(keyId).status(StatusType.INACTIVE));
        }

        @Override
        public void deleteAccessKey(String user, String keyId) {
            try {
                iam.deleteAccessKey(request -> request.userName(user).accessKeyId(keyId));
            } catch (NoSuchEntityException alreadyGone) {
                // deleted is what was wanted
            }
        }
    }
}
