package dev.ikr.rotator;

import dev.ikr.aws.AwsClients;
import dev.ikr.aws.MemberAccounts;
import dev.ikr.aws.OrganizationsAccounts;
import dev.ikr.aws.SqsAccountQueue;
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
import dev.ikr.port.AccountQueue;
import dev.ikr.port.OrganizationDirectory;
import dev.ikr.port.PendingDeletions;
import dev.ikr.rotation.AccountDispatch;
import dev.ikr.rotation.AccountScopedDeletions;
import dev.ikr.rotation.AccountWorker;
import dev.ikr.domain.RotationPolicy;
import dev.ikr.rotation.Adoption;
import dev.ikr.rotation.KmsKeyRotation;
import dev.ikr.rotation.KmsRotationPlanner;
import dev.ikr.rotation.Rotator;
import dev.ikr.wiring.Mailers;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.sqs.SqsClient;

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
                new AccountScopedDeletions(new DynamoPendingDeletions(clients.dynamoDb(), config.tableName(),
                        authenticator), Optional.empty()),
                new SsmSecretStore(clients.ssm(), config.secretKmsKeyId()),
                new AwsKeyTargets(clients, config.secretKmsKeyId()),
                mailer,
                new MessageRenderer(),
                options(config),
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

    /**
     * The rotator of a member account: its users, keys, per-user SSM keys and delivery targets through
     * {@code member}'s clients (the member role), the hub's table (only that account's items) and the hub's mailer.
     * {@code SECRET_KMS_KEY_ID} names a key of the hub's account: a member's SecureStrings use its own {@code aws/ssm}.
     *
     * @param table the hub's table ({@link #table}), shared by the accounts of one invocation
     */
    public static Rotator memberRotator(RotatorConfig config, AwsClients member, String account,
            PendingDeletions table, Mailer mailer, Clock clock) {
        return new Rotator(
                new IamDirectory(member.iam()),
                new AccountScopedDeletions(table, Optional.of(account)),
                new SsmSecretStore(member.ssm()),
                new AwsKeyTargets(member, Optional.empty()),
                mailer,
                new MessageRenderer(),
                options(config),
                clock,
                new SecureRandom());
    }

    private static Rotator.Options options(RotatorConfig config) {
        return new Rotator.Options(config.policy(), config.encryptKeyPair(), config.maxConcurrency(),
                config.allowedEmailDomains(), config.adminEmail(), config.deliveryBounds());
    }

    /** The table of the deployment's own account: the items that name no account. */
    public static PendingDeletions pendingDeletions(RotatorConfig config, AwsClients clients) {
        return new AccountScopedDeletions(table(config, clients), Optional.empty());
    }

    /** The whole table, its items sealed and checked with the record key. */
    public static PendingDeletions table(RotatorConfig config, AwsClients clients) {
        return new DynamoPendingDeletions(clients.dynamoDb(), config.tableName(), authenticator(config, clients));
    }

    /** Seals and checks the table's items with the record key (one per run: it reads the data key once). */
    private static KmsRecordAuthenticator authenticator(RotatorConfig config, AwsClients clients) {
        return new KmsRecordAuthenticator(clients.kms(), clients.ssm(), config.recordKmsKeyArn(), config.tableName());
    }

    /**
     * The scheduled run of a deployment whose {@code ACCOUNTS} is not {@code self}: the organization read with the
     * SDK's default credentials, the queue of {@code ACCOUNT_QUEUE_URL}.
     */
    public static AccountDispatch dispatch(RotatorConfig config, AwsClients clients, Clock clock) {
        return new AccountDispatch(config.accounts().selection(), organization(clients), queue(config, clients),
                clock);
    }

    /** The organization of the deployment's account, in its partition. */
    public static OrganizationDirectory organization(AwsClients clients) {
        return new OrganizationsAccounts(clients, DefaultCredentialsProvider.builder().build(),
                MemberAccounts.partitionOf(clients.sts().serviceClientConfiguration().region()));
    }

    /** The queue of accounts ({@code ACCOUNT_QUEUE_URL}); none with {@code ACCOUNTS=self}. */
    public static AccountQueue queue(RotatorConfig config, AwsClients clients) {
        return config.accounts().queueUrl()
                .<AccountQueue>map(url -> new SqsAccountQueue(clients.build(SqsClient.builder()), url))
                .orElse(work -> work.stream().map(message -> new AccountQueue.Unsent(message.account(),
                        "ACCOUNTS is self: there is no queue of accounts")).toList());
    }

    /**
     * The worker of the queue: each account's rotator under its member role ({@code ikr-rotator} sessions, one set of
     * clients per account, kept as long as {@code members}).
     */
    public static AccountWorker worker(RotatorConfig config, MemberAccounts members, PendingDeletions table,
            Mailer mailer, AccountQueue queue, Clock clock) {
        return new AccountWorker(config.accounts().selection(), account -> {
            members.reach(account);
            return memberRotator(config, members.clients(account), account, table, mailer, clock);
        }, queue);
    }

    /** The adoption of the original project's items, run under the rotator's role (only it may seal). */
    public static Adoption adoption(RotatorConfig config, AwsClients clients) {
        return new Adoption(new IamDirectory(clients.iam()), pendingDeletions(config, clients),
                config.allowedEmailDomains());
    }
}
