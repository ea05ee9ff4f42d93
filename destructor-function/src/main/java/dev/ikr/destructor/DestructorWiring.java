package dev.ikr.destructor;

import dev.ikr.aws.AwsClients;
import dev.ikr.aws.AwsKmsKeys;
import dev.ikr.aws.DynamoKmsKeyRecords;
import dev.ikr.aws.DynamoPendingDeletions;
import dev.ikr.aws.IamDirectory;
import dev.ikr.aws.KmsRecordAuthenticator;
import dev.ikr.aws.MemberAccounts;
import dev.ikr.aws.SsmSecretStore;
import dev.ikr.config.DestructorConfig;
import dev.ikr.domain.MemberRole;
import dev.ikr.message.MessageRenderer;
import dev.ikr.port.Mailer;
import dev.ikr.rotation.AccountDestructors;
import dev.ikr.rotation.AccountScopedDeletions;
import dev.ikr.rotation.Destructor;
import dev.ikr.util.Lazy;
import dev.ikr.wiring.Mailers;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Builds the destructor from its configuration and the shared AWS clients. */
public final class DestructorWiring {

    private DestructorWiring() {
    }

    /** The destructor of the table's own account (the items that name no account). */
    public static Destructor destructor(DestructorConfig config, AwsClients clients, Clock clock) {
        return destructor(config, clients, clients, authenticator(config, clients), Optional.empty(),
                Mailers.create(config.mail(), clients), clock);
    }

    /**
     * The destructor of every account an item may name: the table's own account with the deployment's clients, each
     * other account with the clients of its member role ({@code ikr-destructor} sessions, see {@link #members}),
     * built when an item of that account first comes. The table, the record key and the mailer stay the deployment's.
     */
    public static AccountDestructors destructors(DestructorConfig config, AwsClients clients, MemberAccounts members,
            Clock clock) {
        Lazy<Mailer> mailer = Lazy.of(() -> Mailers.create(config.mail(), clients));
        Lazy<KmsRecordAuthenticator> authenticator = Lazy.of(() -> authenticator(config, clients));
        Map<Optional<String>, Destructor> built = new ConcurrentHashMap<>();
        return new AccountDestructors(account -> built.computeIfAbsent(account, id -> destructor(config, clients,
                id.map(members::clients).orElse(clients), authenticator.get(), id, mailer.get(), clock)));
    }

    /** The member accounts' clients, under the destructor's session name. */
    public static MemberAccounts members(DestructorConfig config, AwsClients clients) {
        return new MemberAccounts(clients, config.memberRole(), MemberRole.DESTRUCTOR_SESSION);
    }

    /** The seal's checker: one per handler, so its data key is decrypted once, whatever the accounts. */
    private static KmsRecordAuthenticator authenticator(DestructorConfig config, AwsClients hub) {
        return new KmsRecordAuthenticator(hub.kms(), hub.ssm(), config.recordKmsKeyArn(), config.tableName());
    }

    /**
     * @param hub the deployment's clients: the table
     * @param account the clients of the account the items name: IAM and the per-user SSM keys
     */
    private static Destructor destructor(DestructorConfig config, AwsClients hub, AwsClients account,
            KmsRecordAuthenticator authenticator, Optional<String> accountId, Mailer mailer, Clock clock) {
        return new Destructor(
                new IamDirectory(account.iam()),
                new AccountScopedDeletions(new DynamoPendingDeletions(hub.dynamoDb(), config.tableName(),
                        authenticator), accountId),
                new SsmSecretStore(account.ssm()),
                authenticator,
                mailer,
                new MessageRenderer(),
                new Destructor.Options(config.encryptKeyPair(), config.retryAfter(), config.maxDeleteAttempts(),
                        config.maxConcurrency(), config.adminEmail(), config.inUse()),
                clock)
                .withKmsKeys(new AwsKmsKeys(hub.kms()),
                        new DynamoKmsKeyRecords(hub.dynamoDb(), config.tableName(), authenticator),
                        config.kmsPendingWindowDays());
    }
}
