package dev.ikr.rotator;

import dev.ikr.aws.AwsClients;
import dev.ikr.aws.AwsKeyTargets;
import dev.ikr.aws.AwsKmsKeys;
import dev.ikr.aws.DynamoKmsKeyRecords;
import dev.ikr.aws.DynamoPendingDeletions;
import dev.ikr.aws.IamDirectory;
import dev.ikr.aws.KmsRecordAuthenticator;
import dev.ikr.aws.SsmSecretStore;
import dev.ikr.config.RotatorConfig;
import dev.ikr.message.MessageRenderer;
import dev.ikr.port.Mailer;
import dev.ikr.port.PendingDeletions;
import dev.ikr.domain.RotationPolicy;
import dev.ikr.rotation.Adoption;
import dev.ikr.rotation.KmsKeyRotation;
import dev.ikr.rotation.KmsRotationPlanner;
import dev.ikr.rotation.Rotator;
import dev.ikr.wiring.Mailers;
import java.security.SecureRandom;
import java.time.Clock;

/** Builds the rotator from its configuration and the shared AWS clients: the one place adapters meet the core. */
public final class RotatorWiring {

    private RotatorWiring() {
    }

    public static Rotator rotator(RotatorConfig config, AwsClients clients, Clock clock) {
        return rotator(config, clients, clock, Mailers.create(config.mail(), clients));
    }

    /** The same, sending through {@code mailer} (the demo wraps the configured one to show what was sent). */
    public static Rotator rotator(RotatorConfig config, AwsClients clients, Clock clock, Mailer mailer) {
        var authenticator = authenticator(config, clients);
        var rotator = new Rotator(
                new IamDirectory(clients.iam()),
                new DynamoPendingDeletions(clients.dynamoDb(), config.tableName(), authenticator),
                new SsmSecretStore(clients.ssm(), config.secretKmsKeyId()),
                new AwsKeyTargets(clients, config.secretKmsKeyId()),
                mailer,
                new MessageRenderer(),
                new Rotator.Options(config.policy(), config.encryptKeyPair(), config.maxConcurrency(),
                        config.allowedEmailDomains(), config.adminEmail(), config.deliveryBounds()),
                clock,
                new SecureRandom());
        if (!config.kmsKeys().enabled()) {
            return rotator;
        }
        return rotator.withKmsKeys(new KmsKeyRotation(new AwsKmsKeys(clients.kms()),
                new DynamoKmsKeyRecords(clients.dynamoDb(), config.tableName(), authenticator), mailer,
                new MessageRenderer(), new KmsRotationPlanner.Options(
                        new RotationPolicy(config.kmsKeys().rotateAfterDays(), config.policy().deleteAfterDays()),
                        config.allowedEmailDomains(), config.kmsKeys().enableAutoRotation()),
                config.adminEmail()));
    }

    /** The table, its items sealed and checked with the record key. */
    public static PendingDeletions pendingDeletions(RotatorConfig config, AwsClients clients) {
        return new DynamoPendingDeletions(clients.dynamoDb(), config.tableName(), authenticator(config, clients));
    }

    /** Seals and checks the table's items with the record key (one per run: it reads the data key once). */
    private static KmsRecordAuthenticator authenticator(RotatorConfig config, AwsClients clients) {
        return new KmsRecordAuthenticator(clients.kms(), clients.ssm(), config.recordKmsKeyArn(), config.tableName());
    }

    /** The adoption of the original project's items, run under the rotator's role (only it may seal). */
    public static Adoption adoption(RotatorConfig config, AwsClients clients) {
        return new Adoption(new IamDirectory(clients.iam()), pendingDeletions(config, clients),
                config.allowedEmailDomains());
    }
}
