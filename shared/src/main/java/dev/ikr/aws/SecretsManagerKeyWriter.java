package dev.ikr.aws;

import dev.ikr.domain.DeliveryException;
import dev.ikr.domain.DeliveryTarget;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Writes a key document to a Secrets Manager secret: a new version ({@code PutSecretValue}, so the previous key stays
 * as {@code AWSPREVIOUS}), or a new secret when a name (not an ARN) names none. The version id is chosen here, so that
 * after an unclear failure {@code DescribeSecret} can tell whether the version was written. The rotator's
 * {@code secretsmanager:} target and {@code rotate-self --deliver-to secretsmanager:} both write this way.
 */
public final class SecretsManagerKeyWriter {

    private final SecretsManagerClient secrets;
    private final Supplier<String> versions;
    private final String description;

    /**
     * @param versions a new version id (a UUID) each time
     * @param description a new secret's description
     */
    public SecretsManagerKeyWriter(SecretsManagerClient secrets, Supplier<String> versions, String description) {
        this.secrets = secrets;
        this.versions = versions;
        this.description = description;
    }

    /**
     * Writes {@code document} as the secret's new current version.
     *
     * @return the secret's ARN
     * @throws DeliveryException when the version was not written, or may have been
     */
    public String write(DeliveryTarget.Secret target, String document) {
        String version = versions.get();
        try {
            return store(target, version, document);
        } catch (AwsServiceException refused) {
            if (refused.statusCode() < 500) {
                throw DeliveryException.notWritten("Secrets Manager refused the new version of " + target.id()
                        + ": " + refused.getMessage(), refused);
            }
            return verifiedVersion(target, version, refused);
        } catch (SdkException unsure) {
            return verifiedVersion(target, version, unsure);
        }
    }

    private String store(DeliveryTarget.Secret target, String version, String document) {
        try {
            return secrets.putSecretValue(request -> request.secretId(target.id()).clientRequestToken(version)
                    .secretString(document)).arn();
        } catch (ResourceNotFoundException absent) {
            if (target.isArn()) {
                throw absent;
            }
        }
        try {
            return secrets.createSecret(request -> request.name(target.id()).clientRequestToken(version)
                    .description(description).secretString(document)).arn();
        } catch (ResourceExistsException createdMeanwhile) {
            return secrets.putSecretValue(request -> request.secretId(target.id()).clientRequestToken(version)
                    .secretString(document)).arn();
        }
    }

    /** After an unclear failure: the secret's ARN if it holds {@code version}; else whether it surely does not. */
    private String verifiedVersion(DeliveryTarget.Secret target, String version, SdkException failure) {
        try {
            var described = secrets.describeSecret(request -> request.secretId(target.id()));
            if (described.versionIdsToStages().containsKey(version)) {
                return described.arn();
            }
        } catch (ResourceNotFoundException absent) {
            // no such secret: surely not written
        } catch (SdkException unknown) {
            throw DeliveryException.perhapsWritten("writing " + target.id() + " failed (" + failure.getMessage()
                    + ") and DescribeSecret could not tell whether it was written (" + unknown.getMessage() + ")",
                    failure);
        }
        throw DeliveryException.notWritten("writing " + target.id() + " failed: " + failure.getMessage(), failure);
    }
}
