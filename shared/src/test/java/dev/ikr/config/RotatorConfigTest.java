package dev.ikr.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ikr.domain.AllowedEmailDomains;
import dev.ikr.domain.DeliveryBounds;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.MetricNamespace;
import dev.ikr.domain.RotationPolicy;
import dev.ikr.testing.Variables;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RotatorConfigTest {

    private static final String TABLE = "IAM_KEY_ROTATOR_TABLE";
    private static final String FROM = "MAIL_FROM";

    private static final String RECORD_KEY = "RECORD_KMS_KEY_ID";

    /** The smallest environment that works: the three required variables. */
    private static Map<String, String> minimal() {
        var env = new HashMap<String, String>();
        env.put(TABLE, "ikr-rotations");
        env.put(FROM, "ikr@example.com");
        env.put(RECORD_KEY, Variables.RECORD_KEY_ARN);
        return env;
    }

    private static Map<String, String> with(String name, String value) {
        var env = minimal();
        env.put(name, value);
        return env;
    }

    private static Map<String, String> without(String name) {
        var env = minimal();
        env.remove(name);
        return env;
    }

    @Test
    void usesTheOriginalProjectsDefaults_whenOnlyTheRequiredVariablesAreSet() {
        RotatorConfig config = RotatorConfig.from(minimal());

        assertThat(config.tableName()).isEqualTo("ikr-rotations");
        assertThat(config.mail().from()).isEqualTo(EmailAddress.of("ikr@example.com"));
        assertThat(config.policy()).isEqualTo(new RotationPolicy(85, 5));
        assertThat(config.encryptKeyPair()).isTrue();
        assertThat(config.mail().client()).isEqualTo(MailClient.SES);
        assertThat(config.accountId()).isEmpty();
        assertThat(config.maxConcurrency()).isEqualTo(4);
        assertThat(config.allowedEmailDomains()).isEqualTo(AllowedEmailDomains.any());
        assertThat(config.metricsNamespace()).isEqualTo(new MetricNamespace("IKR"));
        assertThat(config.recordKmsKeyArn()).isEqualTo(Variables.RECORD_KEY_ARN);
        assertThat(config.adminEmail()).isEmpty();
    }

    @Test
    void failsNamingTheRecordKey_whenItIsMissing_inBothFunctions() {
        assertThatThrownBy(() -> RotatorConfig.from(without(RECORD_KEY)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("RECORD_KMS_KEY_ID is required: set it to the symmetric KMS key that seals");
        assertThatThrownBy(() -> DestructorConfig.from(without(RECORD_KEY)))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("RECORD_KMS_KEY_ID is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alias/ikr-records", "arn:aws:kms:eu-west-1:123456789012:alias/ikr-records",
            "1234abcd-12ab-34cd-56ef-1234567890ab", "arn:aws:kms:eu-west-1:123456789012:key/not-a-key"})
    void failsNamingTheRecordKey_whenItIsNotAKeyArn(String value) {
        assertThatThrownBy(() -> RotatorConfig.from(with(RECORD_KEY, value)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("RECORD_KMS_KEY_ID must be a KMS key ARN")
                .hasMessageContaining(value);
    }

    @Test
    void explainsWhyAnAliasIsRefused_forTheRecordKey() {
        assertThatThrownBy(() -> DestructorConfig.from(with(RECORD_KEY,
                "arn:aws:kms:eu-west-1:123456789012:alias/ikr-records")))
                .hasMessageContaining("not an alias: IAM grants and KMS answers name the key itself");
    }

    @Test
    void readsTheAdministratorsAddress_andRefusesAMalformedOne() {
        assertThat(RotatorConfig.from(with("ADMIN_EMAIL", "secops@example.com")).adminEmail())
                .contains(EmailAddress.of("secops@example.com"));
        assertThat(DestructorConfig.from(with("ADMIN_EMAIL", "secops@example.com")).adminEmail())
                .contains(EmailAddress.of("secops@example.com"));
        assertThatThrownBy(() -> RotatorConfig.from(with("ADMIN_EMAIL", "secops at example.com")))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("ADMIN_EMAIL must be a mail address");
    }

    @Test
    void readsEveryVariable() {
        var env = minimal();
        env.put("ROTATE_AFTER_DAYS", "30");
        env.put("DELETE_AFTER_DAYS", "2");
        env.put("ENCRYPT_KEY_PAIR", "false");
        env.put("MAIL_CLIENT", "ses");
        env.put("ACCOUNT_ID", "123456789012");
        env.put("MAX_CONCURRENCY", "16");
        env.put("ALLOWED_EMAIL_DOMAINS", "example.com,.corp.example.org");

        RotatorConfig config = RotatorConfig.from(env);

        assertThat(config.policy()).isEqualTo(new RotationPolicy(30, 2));
        assertThat(config.encryptKeyPair()).isFalse();
        assertThat(config.mail().client()).isEqualTo(MailClient.SES);
        assertThat(config.accountId()).contains("123456789012");
        assertThat(config.maxConcurrency()).isEqualTo(16);
        assertThat(config.allowedEmailDomains().entries()).containsExactly("example.com", ".corp.example.org");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1234abcd-12ab-34cd-56ef-1234567890ab", "mrk-1234abcd12ab34cd56ef1234567890ab",
        "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
        "alias/ikr-secrets", "arn:aws:kms:eu-west-1:111122223333:alias/ikr-secrets"})
    void readsTheCustomerKeyOfTheDecryptionKeys_inEveryFormKmsTakes(String key) {
        assertThat(RotatorConfig.from(with("SECRET_KMS_KEY_ID", key)).secretKmsKeyId()).contains(key);
        assertThat(RotatorConfig.from(minimal()).secretKmsKeyId()).as("aws/ssm by default").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ikr-secrets", "arn:aws:kms:eu-west-1:111122223333:key/", "key/1234",
        "arn:aws:s3:::bucket", "alias/with space"})
    void failsNamingTheVariable_whenItNamesNoKmsKey(String key) {
        assertThatThrownBy(() -> RotatorConfig.from(with("SECRET_KMS_KEY_ID", key)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("SECRET_KMS_KEY_ID must name a KMS key");
    }

    @Test
    void acceptsTheBoundsOfTheDayRange() {
        var env = minimal();
        env.put("ROTATE_AFTER_DAYS", "36500");
        env.put("DELETE_AFTER_DAYS", "1");

        assertThat(RotatorConfig.from(env).policy()).isEqualTo(new RotationPolicy(36_500, 1));
    }

    @Test
    void ignoresBlanksAroundValues() {
        var env = minimal();
        env.put(TABLE, "  ikr-rotations \n");
        env.put("ROTATE_AFTER_DAYS", " 30 ");

        RotatorConfig config = RotatorConfig.from(env);

        assertThat(config.tableName()).isEqualTo("ikr-rotations");
        assertThat(config.policy().rotateAfterDays()).isEqualTo(30);
    }

    @ParameterizedTest
    @ValueSource(strings = {TABLE, FROM})
    void failsNamingTheVariable_whenARequiredVariableIsMissing(String name) {
        assertThatThrownBy(() -> RotatorConfig.from(without(name)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(name)
                .hasMessageContaining("required");
    }

    @ParameterizedTest
    @ValueSource(strings = {TABLE, FROM})
    void treatsABlankRequiredVariableAsMissing(String name) {
        for (String blank : new String[] {"", "   ", "\t"}) {
            assertThatThrownBy(() -> RotatorConfig.from(with(name, blank)))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining(name)
                    .hasMessageContaining("required");
        }
    }

    @Test
    void treatsBlankOptionalVariablesAsAbsent_andUsesTheirDefaults() {
        var env = minimal();
        for (String name : new String[] {"ROTATE_AFTER_DAYS", "DELETE_AFTER_DAYS", "ENCRYPT_KEY_PAIR", "MAIL_CLIENT",
                "ACCOUNT_ID", "MAX_CONCURRENCY", "ALLOWED_EMAIL_DOMAINS"}) {
            env.put(name, "  ");
        }

        RotatorConfig config = RotatorConfig.from(env);

        assertThat(config.policy()).isEqualTo(new RotationPolicy(85, 5));
        assertThat(config.encryptKeyPair()).isTrue();
        assertThat(config.mail().client()).isEqualTo(MailClient.SES);
        assertThat(config.accountId()).isEqualTo(Optional.empty());
        assertThat(config.maxConcurrency()).isEqualTo(4);
        assertThat(config.allowedEmailDomains()).isEqualTo(AllowedEmailDomains.any());
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-1", "99999999999", "1.5", "36501", "30d"})
    void failsNamingTheVariableAndTheRange_whenRotateAfterDaysIsNotAWholeNumberOfDays(String value) {
        assertThatThrownBy(() -> RotatorConfig.from(with("ROTATE_AFTER_DAYS", value)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("ROTATE_AFTER_DAYS")
                .hasMessageContaining("from 1 to 36500")
                .hasMessageContaining("'" + value + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-1", "99999999999", "1.5", "36501", "30d"})
    void failsNamingTheVariableAndTheRange_whenDeleteAfterDaysIsNotAWholeNumberOfDays(String value) {
        assertThatThrownBy(() -> RotatorConfig.from(with("DELETE_AFTER_DAYS", value)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("DELETE_AFTER_DAYS")
                .hasMessageContaining("from 1 to 36500")
                .hasMessageContaining("'" + value + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "9"})
    void failsNamingBothVariables_whenTheDeactivationIsNotBeforeTheDeletion(String days) {
        var env = new java.util.HashMap<>(with("DELETE_AFTER_DAYS", "5"));
        env.put("DEACTIVATE_AFTER_DAYS", days);

        assertThatThrownBy(() -> RotatorConfig.from(env))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("DEACTIVATE_AFTER_DAYS (" + days + ")")
                .hasMessageContaining("DELETE_AFTER_DAYS (5)");
    }

    @Test
    void readsTwoStages_whenTheDeactivationComesFirst() {
        var env = new java.util.HashMap<>(with("DELETE_AFTER_DAYS", "5"));
        env.put("DEACTIVATE_AFTER_DAYS", "3");

        assertThat(RotatorConfig.from(env).policy().deactivateAfterDays()).contains(3);
        assertThat(RotatorConfig.from(with("DELETE_AFTER_DAYS", "5")).policy().deactivateAfterDays()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "yes", "1"})
    void encrypts_whenEncryptKeyPairIsTruthy(String value) {
        assertThat(RotatorConfig.from(with("ENCRYPT_KEY_PAIR", value)).encryptKeyPair()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "False", "no", "0"})
    void mailsThePlainKey_whenEncryptKeyPairIsFalsy(String value) {
        assertThat(RotatorConfig.from(with("ENCRYPT_KEY_PAIR", value)).encryptKeyPair()).isFalse();
    }

    @Test
    void failsNamingTheVariable_whenEncryptKeyPairIsNotABoolean() {
        assertThatThrownBy(() -> RotatorConfig.from(with("ENCRYPT_KEY_PAIR", "maybe")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("ENCRYPT_KEY_PAIR")
                .hasMessageContaining("true or false")
                .hasMessageContaining("'maybe'");
    }

    @Test
    void failsNamingTheVariableAndTheAllowedValues_whenTheMailClientIsUnknown() {
        assertThatThrownBy(() -> RotatorConfig.from(with("MAIL_CLIENT", "pigeon")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MAIL_CLIENT")
                .hasMessageContaining("'pigeon'")
                .hasMessageContainingAll(Arrays.stream(MailClient.values())
                        .map(client -> client.name().toLowerCase(Locale.ROOT)).toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ses", "SES", "Ses", " ses "})
    void acceptsTheMailClientInAnyCase(String value) {
        assertThat(RotatorConfig.from(with("MAIL_CLIENT", value)).mail().client()).isEqualTo(MailClient.SES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"12345678901", "1234567890123", "12345678901a", "arn:aws:iam::123456789012:root",
            "1234-5678-9012"})
    void failsNamingTheVariable_whenTheAccountIdIsNotTwelveDigits(String value) {
        assertThatThrownBy(() -> RotatorConfig.from(with("ACCOUNT_ID", value)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("ACCOUNT_ID")
                .hasMessageContaining("12-digit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ikr", "ikr@", "ikr@example", "i kr@example.com"})
    void failsNamingTheVariable_whenTheSenderIsNotAMailAddress(String value) {
        assertThatThrownBy(() -> RotatorConfig.from(with(FROM, value)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(FROM);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-4", "65", "four", "2.5"})
    void failsNamingTheVariableAndTheRange_whenMaxConcurrencyIsOutOfRange(String value) {
        assertThatThrownBy(() -> RotatorConfig.from(with("MAX_CONCURRENCY", value)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MAX_CONCURRENCY")
                .hasMessageContaining("from 1 to 64");
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", " example.com ", "EXAMPLE.com", ".example.com", "a-b.example.co.uk",
            "example.com,.example.org,xn--bcher-kva.example"})
    void readsTheAllowedEmailDomains_lowerCased(String value) {
        assertThat(RotatorConfig.from(with("ALLOWED_EMAIL_DOMAINS", value)).allowedEmailDomains().entries())
                .containsExactlyElementsOf(java.util.List.of(value.strip().toLowerCase(Locale.ROOT).split(",")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "example.com,,example.org      | has an empty entry",
        "example.com,                  | has an empty entry",
        ",example.com                  | has an empty entry",
        "example.com, example.org      | entry ' example.org' has a space",
        "exa mple.com                  | entry 'exa mple.com' has a space",
        "ikr@example.com               | entry 'ikr@example.com' has an @",
        "@example.com                  | entry '@example.com' has an @",
        "bücher.example                | entry 'bücher.example' is not ASCII",
        "localhost                     | entry 'localhost' is not a domain name",
        "*.example.com                 | entry '*.example.com' is not a domain name",
        "..example.com                 | entry '..example.com' is not a domain name",
        "example.com.                  | entry 'example.com.' is not a domain name",
        "-example.com                  | entry '-example.com' is not a domain name",
        "ex_ample.com                  | entry 'ex_ample.com' is not a domain name"})
    void failsNamingTheVariableAndTheEntry_whenAnAllowedEmailDomainIsMalformed(String value, String problem) {
        assertThatThrownBy(() -> RotatorConfig.from(with("ALLOWED_EMAIL_DOMAINS", value)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("ALLOWED_EMAIL_DOMAINS must be a comma-separated list of domains")
                .hasMessageContaining(problem)
                .hasMessageEndingWith(".")
                .hasMessageNotContaining("\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"IKR", "Security/IKR", "my-team.ikr_2", "IKR #prod: eu", "Ikr.Metrics"})
    void readsTheMetricsNamespace_ofBothFunctions_inEveryFormCloudWatchTakes(String namespace) {
        assertThat(RotatorConfig.from(with("METRICS_NAMESPACE", namespace)).metricsNamespace().value())
                .isEqualTo(namespace);
        assertThat(DestructorConfig.from(with("METRICS_NAMESPACE", namespace)).metricsNamespace().value())
                .isEqualTo(namespace);
        assertThat(DestructorConfig.from(minimal()).metricsNamespace()).isEqualTo(MetricNamespace.DEFAULT);
    }

    @Test
    void acceptsAMetricsNamespaceOf255Characters_andNotOneMore() {
        assertThat(RotatorConfig.from(with("METRICS_NAMESPACE", "n".repeat(255))).metricsNamespace().value())
                .hasSize(255);
        assertThatThrownBy(() -> RotatorConfig.from(with("METRICS_NAMESPACE", "n".repeat(256))))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("METRICS_NAMESPACE must be");
    }

    @ParameterizedTest
    @ValueSource(strings = {"AWS/Lambda", ":IKR", "IKR!", "IKR\u00e9", "IKR\tprod", "IKR\nprod"})
    void failsNamingTheVariable_whenTheMetricsNamespaceIsNotOneCloudWatchTakes(String namespace) {
        for (var from : java.util.List.<java.util.function.Function<Map<String, String>, Object>>of(
                RotatorConfig::from, DestructorConfig::from)) {
            assertThatThrownBy(() -> from.apply(with("METRICS_NAMESPACE", namespace)))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("METRICS_NAMESPACE must be a CloudWatch namespace")
                    .hasMessageEndingWith(".")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void errorMessagesAreOneSentence() {
        for (Map<String, String> env : java.util.List.of(without(TABLE), with("ROTATE_AFTER_DAYS", "0"),
                with("ENCRYPT_KEY_PAIR", "maybe"), with("MAIL_CLIENT", "pigeon"), with("ACCOUNT_ID", "1"),
                with("MAX_CONCURRENCY", "0"), with(FROM, "nobody"), with("ALLOWED_EMAIL_DOMAINS", "a@b.com"))) {
            assertThatThrownBy(() -> RotatorConfig.from(env))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageEndingWith(".")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void readsTheDeliveryBounds_eachKindOffUnlessSet() {
        assertThat(RotatorConfig.from(minimal()).deliveryBounds()).isEqualTo(DeliveryBounds.NONE);

        var env = minimal();
        env.put("DELIVERY_SECRET_PREFIX", "ikr/");
        env.put("DELIVERY_PARAMETER_PREFIX", "/ikr/keys/");
        env.put("DELIVERY_FUNCTIONS", "deliver-a,deliver-b");

        assertThat(RotatorConfig.from(env).deliveryBounds()).isEqualTo(new DeliveryBounds(Optional.of("ikr/"),
                Optional.of("/ikr/keys/"), java.util.Set.of("deliver-a", "deliver-b")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "DELIVERY_SECRET_PREFIX    | ikr keys/          | DELIVERY_SECRET_PREFIX must be the start of a secret name",
        "DELIVERY_PARAMETER_PREFIX | ikr/keys/          | DELIVERY_PARAMETER_PREFIX must be the start of a parameter",
        "DELIVERY_PARAMETER_PREFIX | /ikr/secret/iam/ci | DELIVERY_PARAMETER_PREFIX '/ikr/secret/iam/ci' reaches IKR's",
        "DELIVERY_PARAMETER_PREFIX | /ikr/              | reaches IKR's own parameter /ikr/secret/",
        "DELIVERY_FUNCTIONS        | deliver,,other     | DELIVERY_FUNCTIONS must be a comma-separated list"})
    void failsTheColdStartInOneSentenceNamingTheVariable_whenADeliveryBoundIsMalformed(String variable, String value,
            String message) {
        assertThatThrownBy(() -> RotatorConfig.from(with(variable, value)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining(message)
                .hasMessageEndingWith(".").hasMessageNotContaining("\n");
    }

    @Test
    void refusesADeliveryParameterPrefixOverTheMailersSecret() {
        var env = with("DELIVERY_PARAMETER_PREFIX", "/mail/");
        env.put("MAIL_CLIENT", "smtp");
        env.put("SMTP_SERVER", "smtp.example.com");
        env.put("SMTP_PASSWORD_PARAMETER", "/mail/smtp-password");

        assertThatThrownBy(() -> RotatorConfig.from(env)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("reaches IKR's own parameter /mail/smtp-password");
    }
}
