package dev.ikr.config;

import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.InUseGuard;
import dev.ikr.domain.InUsePolicy;
import dev.ikr.domain.MemberRole;
import dev.ikr.domain.MetricNamespace;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Every environment variable the destructor reads, validated once at cold start.
 *
 * @param tableName {@code IAM_KEY_ROTATOR_TABLE}
 * @param encryptKeyPair {@code ENCRYPT_KEY_PAIR} (true): also delete the user's SSM decryption key
 * @param retryAfter {@code RETRY_AFTER_MINS} (5): when a failed deletion is tried again
 * @param maxDeleteAttempts {@code MAX_DELETE_ATTEMPTS} (10): failed attempts before a person is asked
 * @param mail {@code MAIL_CLIENT}, {@code MAIL_FROM} and the mailer's own variables
 * @param accountId {@code ACCOUNT_ID}, overriding the account of the invoked function's ARN
 * @param recordKmsKeyArn {@code RECORD_KMS_KEY_ID} (required): the symmetric KMS key whose data key seals the table's
 *     items
 * @param adminEmail {@code ADMIN_EMAIL} (none): who is mailed the table items IKR refused to act on
 * @param maxConcurrency {@code MAX_CONCURRENCY} (4): users handled at once
 * @param metricsNamespace {@code METRICS_NAMESPACE} ({@code IKR}): the CloudWatch namespace of the batch's metrics
 * @param inUse {@code IN_USE_POSTPONE_DAYS} (3): how much later a step comes when the old key was used after its
 *     replacement was delivered; {@code MAX_POSTPONEMENTS} (2; 0: mail only, never postpone): how often, per step;
 *     {@code IN_USE_POLICY} ({@code proceed} or {@code hold}): what happens after that
 * @param memberRole {@code MEMBER_ROLE_NAME} ({@code ikr-member}) and {@code MEMBER_EXTERNAL_ID}: the role assumed in
 *     the account an item names (an item without an account is the table's own: no role)
 * @param kmsPendingWindowDays {@code KMS_PENDING_WINDOW_DAYS} (30; 7 to 30): how long a retired KMS key waits for
 *     its deletion, during which {@code CancelKeyDeletion} brings it back
 */
public record DestructorConfig(
        String tableName,
        boolean encryptKeyPair,
        Duration retryAfter,
        int maxDeleteAttempts,
        MailConfig mail,
        Optional<String> accountId,
        String recordKmsKeyArn,
        Optional<EmailAddress> adminEmail,
        int maxConcurrency,
        MetricNamespace metricsNamespace,
        InUseGuard inUse,
        MemberRole memberRole,
        int kmsPendingWindowDays) {

    public static final int DEFAULT_RETRY_AFTER_MINS = 5;
    public static final int DEFAULT_MAX_DELETE_ATTEMPTS = 10;
    public static final int DEFAULT_IN_USE_POSTPONE_DAYS = 3;
    public static final int DEFAULT_MAX_POSTPONEMENTS = 2;

    /** @throws ConfigurationException naming the first variable that is missing or wrong */
    public static DestructorConfig from(Map<String, String> variables) {
        var env = new Environment(variables);
        return new DestructorConfig(
                env.required("IAM_KEY_ROTATOR_TABLE", "the name of the DynamoDB table of pending deletions"),
                env.bool("ENCRYPT_KEY_PAIR", true),
                Duration.ofMinutes(env.positiveInt("RETRY_AFTER_MINS", DEFAULT_RETRY_AFTER_MINS, 7 * 24 * 60)),
                env.positiveInt("MAX_DELETE_ATTEMPTS", DEFAULT_MAX_DELETE_ATTEMPTS, 1000),
                MailConfig.from(variables),
                env.accountId(),
                env.kmsKeyArn(RotatorConfig.RECORD_KMS_KEY_ID, RotatorConfig.RECORD_KEY_MEANING),
                env.optionalEmail("ADMIN_EMAIL"),
                env.positiveInt("MAX_CONCURRENCY", RotatorConfig.DEFAULT_MAX_CONCURRENCY,
                        RotatorConfig.MAX_CONCURRENCY_LIMIT),
                env.metricsNamespace("METRICS_NAMESPACE"),
                new InUseGuard(
                        Duration.ofDays(env.days("IN_USE_POSTPONE_DAYS", DEFAULT_IN_USE_POSTPONE_DAYS)),
                        env.count("MAX_POSTPONEMENTS", DEFAULT_MAX_POSTPONEMENTS, 100),
                        env.oneOf("IN_USE_POLICY", InUsePolicy.class, InUsePolicy.PROCEED)),
                AccountsConfig.memberRole(variables),
                KmsRotationConfig.pendingWindowDays(env));
    }
}
