package dev.ikr.config;

import dev.ikr.domain.AllowedEmailDomains;
import dev.ikr.domain.DeliveryBounds;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.MetricNamespace;
import dev.ikr.domain.RotationPolicy;
import dev.ikr.domain.SecretParameterName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every environment variable the rotator reads, typed and validated once at cold start. Names and
 * defaults are the original project's.
 *
 * @param tableName {@code IAM_KEY_ROTATOR_TABLE}
 * @param policy {@code ROTATE_AFTER_DAYS} (85), {@code DELETE_AFTER_DAYS} (5) and {@code DEACTIVATE_AFTER_DAYS}
 *     (unset: a single stage, the old key is deleted without being deactivated first; set: smaller than
 *     {@code DELETE_AFTER_DAYS})
 * @param encryptKeyPair {@code ENCRYPT_KEY_PAIR} (true)
 * @param mail {@code MAIL_CLIENT} (ses), {@code MAIL_FROM} and the mailer's own variables
 * @param accountId {@code ACCOUNT_ID}, overriding the account of the invoked function's ARN
 * @param recordKmsKeyArn {@code RECORD_KMS_KEY_ID} (required): the symmetric KMS key whose data key seals the table's
 *     items
 * @param adminEmail {@code ADMIN_EMAIL} (none): who is mailed the table items IKR refused to act on
 * @param maxConcurrency {@code MAX_CONCURRENCY} (4): users handled at once
 * @param allowedEmailDomains {@code ALLOWED_EMAIL_DOMAINS} (any): where new keys may be mailed
 * @param secretKmsKeyId {@code SECRET_KMS_KEY_ID} (none: the AWS managed {@code aws/ssm} key): the customer managed
 *     KMS key that encrypts the per-user decryption keys in SSM
 * @param metricsNamespace {@code METRICS_NAMESPACE} ({@code IKR}): the CloudWatch namespace of the run's metrics
 * @param deliveryBounds {@code DELIVERY_SECRET_PREFIX}, {@code DELIVERY_PARAMETER_PREFIX} and
 *     {@code DELIVERY_FUNCTIONS} (each unset: that kind of {@code IKR:DELIVER_TO} target is off)
 * @param accounts {@code ACCOUNTS} ({@code self}), {@code MEMBER_ROLE_NAME}, {@code MEMBER_EXTERNAL_ID} and
 *     {@code ACCOUNT_QUEUE_URL}: the accounts rotated and how each is reached
 * @param kmsKeys {@code ROTATE_KMS_KEYS}, {@code KMS_ROTATE_AFTER_DAYS} and {@code KMS_ENABLE_AUTO_ROTATION}
 */
public record RotatorConfig(
        String tableName,
        RotationPolicy policy,
        boolean encryptKeyPair,
        MailConfig mail,
        Optional<String> accountId,
        String recordKmsKeyArn,
        Optional<EmailAddress> adminEmail,
        int maxConcurrency,
        AllowedEmailDomains allowedEmailDomains,
        Optional<String> secretKmsKeyId,
        MetricNamespace metricsNamespace,
        DeliveryBounds deliveryBounds,
        AccountsConfig accounts,
        KmsRotationConfig kmsKeys) {

    public static final int DEFAULT_ROTATE_AFTER_DAYS = 85;
    public static final int DEFAULT_DELETE_AFTER_DAYS = 5;
    public static final int DEFAULT_MAX_CONCURRENCY = 4;
    static final int MAX_CONCURRENCY_LIMIT = 64;
    static final String RECORD_KMS_KEY_ID = "RECORD_KMS_KEY_ID";
    static final String RECORD_KEY_MEANING = "the symmetric KMS key that seals the table's items (Terraform creates it)";

    /** @throws ConfigurationException naming the first variable that is missing or wrong */
    public static RotatorConfig from(Map<String, String> variables) {
        var env = new Environment(variables);
        String table = env.required("IAM_KEY_ROTATOR_TABLE", "the name of the DynamoDB table of pending deletions");
        int deleteAfterDays = env.days("DELETE_AFTER_DAYS", DEFAULT_DELETE_AFTER_DAYS);
        Optional<Integer> deactivateAfterDays = env.optionalDays("DEACTIVATE_AFTER_DAYS");
        if (deactivateAfterDays.isPresent() && deactivateAfterDays.get() >= deleteAfterDays) {
            throw new ConfigurationException("DEACTIVATE_AFTER_DAYS (" + deactivateAfterDays.get()
                    + ") must be smaller than DELETE_AFTER_DAYS (" + deleteAfterDays + "): the old key is deactivated"
                    + " before it is deleted.");
        }
        var policy = new RotationPolicy(env.days("ROTATE_AFTER_DAYS", DEFAULT_ROTATE_AFTER_DAYS), deleteAfterDays,
                deactivateAfterDays);
        boolean encrypt = env.bool("ENCRYPT_KEY_PAIR", true);
        MailConfig mail = MailConfig.from(variables);
        Optional<String> accountId = env.accountId();
        String recordKey = env.kmsKeyArn(RECORD_KMS_KEY_ID, RECORD_KEY_MEANING);
        Optional<EmailAddress> admin = env.optionalEmail("ADMIN_EMAIL");
        int concurrency = env.positiveInt("MAX_CONCURRENCY", DEFAULT_MAX_CONCURRENCY, MAX_CONCURRENCY_LIMIT);
        AllowedEmailDomains allowedDomains = env.emailDomains("ALLOWED_EMAIL_DOMAINS");
        Optional<String> secretKmsKeyId = env.kmsKey("SECRET_KMS_KEY_ID");
        MetricNamespace metricsNamespace = env.metricsNamespace("METRICS_NAMESPACE");
        var delivery = new DeliveryBounds(
                env.parsed("DELIVERY_SECRET_PREFIX", DeliveryBounds::secretPrefix),
                env.parsed("DELIVERY_PARAMETER_PREFIX",
                        (raw, name) -> DeliveryBounds.parameterPrefix(raw, name, ownParameters(mail))),
                env.parsed("DELIVERY_FUNCTIONS", DeliveryBounds::functions).orElse(Set.of()));
        AccountsConfig accounts = AccountsConfig.from(variables);
        KmsRotationConfig kmsKeys = KmsRotationConfig.from(env);
        if (kmsKeys.enabled() && !accounts.selection().isSelf()) {
            throw new ConfigurationException("ROTATE_KMS_KEYS=true needs ACCOUNTS=self: KMS keys are rotated in the"
                    + " deployment's own account, so rotate them with a deployment of their account whose ACCOUNTS is"
                    + " self.");
        }
        return new RotatorConfig(table, policy, encrypt, mail, accountId, recordKey, admin, concurrency, allowedDomains,
                secretKmsKeyId, metricsNamespace, delivery, accounts, kmsKeys);
    }

    /**
     * The SSM parameters IKR itself keeps, which no delivery target may reach: the per-user decryption keys (and the
     * default mailer secrets) under {@code /ikr/secret/}, the record key, and the mailer's secret wherever it is.
     */
    private static List<String> ownParameters(MailConfig mail) {
        var own = new ArrayList<>(List.of("/ikr/secret/", SecretParameterName.RECORD_KEY));
        mail.mailgun().ifPresent(mailgun -> own.add(mailgun.apiKeyName()));
        mail.smtp().ifPresent(smtp -> own.add(smtp.passwordParameter()));
        return own;
    }
}
