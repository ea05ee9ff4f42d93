package dev.ikr.cli;

import dev.ikr.aws.SecretsManagerKeyWriter;
import dev.ikr.aws.SsmKeyWriter;
import dev.ikr.cli.rotateself.KeyDestination;
import dev.ikr.domain.DeliveryException;
import dev.ikr.domain.DeliveryTarget;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The places {@code rotate-self} writes a new key to, one of them per run. Each says whether a failed write
 * surely left the key unwritten (then the new key is deleted again) or may have written it (then both keys stay).
 */
final class KeyDestinations {

    static final String SECRET_DESCRIPTION = "An IAM user's access key, written by scripts/ikr rotate-self";

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
     * A Secrets Manager secret: a new version (the previous key stays as {@code AWSPREVIOUS}), or a new secret when a
     * name (not an ARN) names none ({@link SecretsManagerKeyWriter}, as the rotator writes it).
     */
    static KeyDestination secret(SecretsManagerClient secrets, DeliveryTarget.Secret target,
            Supplier<String> versions) {
        var writer = new SecretsManagerKeyWriter(secrets, versions, SECRET_DESCRIPTION);
        return key -> "secretsmanager:" + writer.write(target, KeyDocument.json(key));
    }

    /** An SSM parameter, as a SecureString encrypted with the account's default key, overwritten. */
    static KeyDestination parameter(SsmClient ssm, DeliveryTarget.Parameter target) {
        var writer = new SsmKeyWriter(ssm, Optional.empty());
        return key -> {
            writer.write(target, KeyDocument.json(key));
            return "ssm:" + target.name();
        };
    }
}
