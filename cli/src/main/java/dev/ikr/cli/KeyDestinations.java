package dev.ikr.cli;

import dev.ikr.cli.rotateself.DeliveryException;
import dev.ikr.cli.rotateself.KeyDestination;
import dev.ikr.cli.rotateself.NewKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The places {@code rotate-self} writes a new key to, one of them per run. Each says whether a failed write
 * surely left the key unwritten (then the new key is deleted again) or may have written it (then both keys stay).
 */
final class KeyDestinations {

    private KeyDestinations() {
    }

    /** The same profile of the credentials file, rewritten atomically. */
    static KeyDestination credentialsFile(CredentialsFile file, String profile) {
        return key -> {
            try {
                file.replaceKeyPair(profile, key.pair());
            } catch (IOException | RuntimeException failed) {
                // replaceKeyPair renames last: when it throws, the file is unchanged
                throw DeliveryException.notWritten(file.path() + " was not rewritten: " + failed.getMessage(),
                        failed);
            }
            return "credentials-file:" + file.path().toAbsolutePath() + "#" + profile;
        };
    }

    /** Standard output, as {@code export} lines or the key's JSON document. */
    static KeyDestination printed(PrintWriter out, boolean asJson) {
        return key -> {
            out.print(asJson ? KeyDocument.json(key) + "\n" : KeyDocument.exports(key));
            out.flush();
            if (out.checkError()) {
                throw DeliveryException.notWritten("standard output could not be written", null);
            }
            return "stdout";
        };
    }

    /**
     * A Secrets Manager secret: a new version ({@code PutSecretValue}, so the previous key stays as
     * {@code AWSPREVIOUS}), or a new secret when a name (not an ARN) names none. The version id is chosen here, so
     * that after a timeout {@code DescribeSecret} can tell whether the version was written.
     */
    static KeyDestination secret(SecretsManagerClient secrets, DeliveryTarget.Secret target,
            Supplier<String> versions) {
        return key -> {
            String document = KeyDocument.json(key);
            String version = versions.get();
            try {
                return "secretsmanager:" + storeSecret(secrets, target, version, document);
            } catch (AwsServiceException refused) {
                if (refused.statusCode() < 500) {
                    throw DeliveryException.notWritten("Secrets Manager refused the new version of " + target.id()
                            + ": " + refused.getMessage(), refused);
                }
                return verifiedVersion(secrets, target, version, refused);
            } catch (SdkException unsure) {
                return verifiedVersion(secrets, target, version, unsure);
            }
        };
    }

    private static String storeSecret(SecretsManagerClient secrets, DeliveryTarget.Secret target, String version,
            String document) {
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
                    .description("An IAM user's access key, written by scripts/ikr rotate-self")
                    .secretString(document)).arn();
        } catch (ResourceExistsException createdMeanwhile) {
            return secrets.putSecretValue(request -> request.secretId(target.id()).clientRequestToken(version)
                    .secretString(document)).arn();
        }
    }

    /** After an unclear failure: the secret's ARN if it holds {@code version}; else whether it surely does not. */
    private static String verifiedVersion(SecretsManagerClient secrets, DeliveryTarget.Secret target, String version,
            SdkException failure) {
        try {
            var described = secrets.describeSecret(request -> request.secretId(target.id()));
            if (described.versionIdsToStages().containsKey(version)) {
                return "secretsmanager:" + described.arn();
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

    /** An SSM parameter, as a SecureString encrypted with the account's default key, overwritten. */
    static KeyDestination parameter(SsmClient ssm, DeliveryTarget.Parameter target) {
        return key -> {
            try {
                ssm.putParameter(request -> request.name(target.name()).type(ParameterType.SECURE_STRING)
                        .overwrite(true).value(KeyDocument.json(key)));
            } catch (AwsServiceException refused) {
                if (refused.statusCode() < 500) {
                    throw DeliveryException.notWritten("SSM refused " + target.name() + ": " + refused.getMessage(),
                            refused);
                }
                throw DeliveryException.perhapsWritten("writing " + target.name() + " failed: "
                        + refused.getMessage(), refused);
            } catch (SdkException unsure) {
                throw DeliveryException.perhapsWritten("writing " + target.name() + " failed: " + unsure.getMessage(),
                        unsure);
            }
            return "ssm:" + target.name();
        };
    }
}
