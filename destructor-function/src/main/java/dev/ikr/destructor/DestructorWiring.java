package dev.ikr.destructor;

import dev.ikr.aws.AwsClients;
import dev.ikr.aws.AwsKmsKeys;
import dev.ikr.aws.DynamoKmsKeyRecords;
import dev.ikr.aws.DynamoPendingDeletions;
import dev.ikr.aws.IamDirectory;
import dev.ikr.aws.KmsRecordAuthenticator;
import dev.ikr.aws.SsmSecretStore;
import dev.ikr.config.DestructorConfig;
import dev.ikr.message.MessageRenderer;
import dev.ikr.rotation.Destructor;
import dev.ikr.wiring.Mailers;
import java.time.Clock;

/** Builds the destructor from its configuration and the shared AWS clients. */
public final class DestructorWiring {

    private DestructorWiring() {
    }

    public static Destructor destructor(DestructorConfig config, AwsClients clients, Clock clock) {
        var authenticator = new KmsRecordAuthenticator(clients.kms(), clients.ssm(), config.recordKmsKeyArn(),
                config.tableName());
        return new Destructor(
                new IamDirectory(clients.iam()),
                new DynamoPendingDeletions(clients.dynamoDb(), config.tableName(), authenticator),
                new SsmSecretStore(clients.ssm()),
                authenticator,
                Mailers.create(config.mail(), clients),
                new MessageRenderer(),
                new Destructor.Options(config.encryptKeyPair(), config.retryAfter(), config.maxDeleteAttempts(),
                        config.maxConcurrency(), config.adminEmail(), config.inUse()),
                clock)
                .withKmsKeys(new AwsKmsKeys(clients.kms()),
                        new DynamoKmsKeyRecords(clients.dynamoDb(), config.tableName(), authenticator),
                        config.kmsPendingWindowDays());
    }
}
