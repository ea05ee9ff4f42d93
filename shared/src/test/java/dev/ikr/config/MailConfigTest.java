package dev.ikr.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ikr.config.MailConfig.MailgunSettings;
import dev.ikr.config.MailConfig.SmtpProtocol;
import dev.ikr.config.MailConfig.SmtpSettings;
import dev.ikr.domain.EmailAddress;
import dev.ikr.testing.Variables;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MailConfigTest {

    private static final String MAILGUN_URL = "https://api.eu.mailgun.net/v3/mg.example.com";

    private static Map<String, String> env(String... pairs) {
        return Variables.withSender(pairs);
    }

    private static Map<String, String> mailgun(String... pairs) {
        var env = env(pairs);
        env.put("MAIL_CLIENT", "mailgun");
        env.putIfAbsent("MAILGUN_API_URL", MAILGUN_URL);
        return env;
    }

    private static Map<String, String> smtp(String... pairs) {
        var env = env(pairs);
        env.put("MAIL_CLIENT", "smtp");
        env.putIfAbsent("SMTP_SERVER", "smtp.example.com");
        return env;
    }

    @Test
    void sendsThroughSesWithATenSecondTimeout_whenOnlyTheSenderIsSet() {
        MailConfig config = MailConfig.from(env());

        assertThat(config.client()).isEqualTo(MailClient.SES);
        assertThat(config.from()).isEqualTo(EmailAddress.of("ikr@example.com"));
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.mailgun()).isEmpty();
        assertThat(config.smtp()).isEmpty();
    }

    @Test
    void ignoresTheSettingsOfTheMailersNotChosen() {
        MailConfig config = MailConfig.from(env("MAIL_CLIENT", "ses", "MAILGUN_API_URL", "not a url",
                "SMTP_PORT", "0"));

        assertThat(config.client()).isEqualTo(MailClient.SES);
    }

    @Test
    void readsTheMailgunUrl_andDefaultsTheKeyParameter() {
        MailConfig config = MailConfig.from(mailgun());

        assertThat(config.client()).isEqualTo(MailClient.MAILGUN);
        assertThat(config.mailgun()).contains(new MailgunSettings(URI.create(MAILGUN_URL), "/ikr/secret/mailgun"));
        assertThat(config.smtp()).isEmpty();
    }

    @Test
    void readsEveryMailgunVariable_andDropsATrailingSlash() {
        MailConfig config = MailConfig.from(mailgun("MAILGUN_API_URL", "http://localhost:8080/v3/mg.example.com/",
                "MAILGUN_API_KEY_NAME", "/team/mailgun-key", "MAIL_TIMEOUT_SECONDS", "3"));

        assertThat(config.mailgun()).contains(new MailgunSettings(
                URI.create("http://localhost:8080/v3/mg.example.com"), "/team/mailgun-key"));
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void failsNamingTheUrl_whenMailgunHasNoApiUrl() {
        var env = mailgun();
        env.remove("MAILGUN_API_URL");

        assertThatThrownBy(() -> MailConfig.from(env))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MAILGUN_API_URL")
                .hasMessageContaining("required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"api.mailgun.net/v3/mg.example.com", "ftp://api.mailgun.net/v3/x", "https://",
            "https://api.mailgun.net/v3/x?key=1", "https://api:key-3ax6@api.mailgun.net/v3/x", "https://a b",
            "https://api.mailgun.net/v3/x#top"})
    void failsNamingTheUrl_whenItIsNotAnHttpsUrl_withoutEchoingAKeyInIt(String value) {
        assertThatThrownBy(() -> MailConfig.from(mailgun("MAILGUN_API_URL", value)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("MAILGUN_API_URL must be an https URL")
                .message().doesNotContain("key-3ax6");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://api.eu.mailgun.net/v3/mg.example.com", "HTTP://api.mailgun.net/v3/x",
            "http://10.0.0.7:8080/v3/x", "http://128.0.0.1/v3/x", "http://localhost.example.com/v3/x",
            "http://127.0.0.1.nip.io/v3/x", "http://[::2]:8080/v3/x", "http://127.0.0.256/v3/x"})
    void failsNamingTheUrl_whenItIsHttpToAHostThatIsNotLoopback(String value) {
        assertThatThrownBy(() -> MailConfig.from(mailgun("MAILGUN_API_URL", value)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("MAILGUN_API_URL must be an https URL")
                .hasMessageEndingWith(", not '" + value + "'.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/v3/mg.example.com", "http://localhost:8080/v3/mg.example.com",
            "http://LocalHost/v3/mg.example.com", "http://127.3.2.1:9/v3/mg.example.com",
            "http://[::1]:8080/v3/mg.example.com"})
    void acceptsHttpOnALoopbackHost_warningThatTheKeyTravelsUnencrypted(String value) {
        MailConfig config = MailConfig.from(mailgun("MAILGUN_API_URL", value));

        assertThat(config.mailgun().orElseThrow().apiUrl()).isEqualTo(URI.create(value));
        assertThat(config.plaintextWarning()).hasValueSatisfying(warning -> assertThat(warning)
                .startsWith("MAILGUN_API_URL is http").contains("unencrypted"));
    }

    @Test
    void warnsAboutNothing_whenMailgunIsHttps() {
        assertThat(MailConfig.from(mailgun()).plaintextWarning()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssl", "starttls", "tls"})
    void warnsAboutNothing_whenSmtpIsEncrypted_evenWithPlaintextAuthAllowed(String protocol) {
        MailConfig config = MailConfig.from(smtp("SMTP_PROTOCOL", protocol, "SMTP_PASSWORD_PARAMETER", "/team/smtp",
                "SMTP_ALLOW_PLAINTEXT_AUTH", "true"));

        assertThat(config.plaintextWarning()).isEmpty();
        assertThat(MailConfig.from(env()).plaintextWarning()).as("ses").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ikr/secret/smtp", "/team/smtp-password"})
    void failsNamingTheVariables_whenPlainWouldSendAConfiguredPasswordUnencrypted(String parameter) {
        assertThatThrownBy(() -> MailConfig.from(smtp("SMTP_PROTOCOL", "plain", "SMTP_PASSWORD_PARAMETER", parameter)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("SMTP_PASSWORD_PARAMETER is set but SMTP_PROTOCOL is plain, which would send the password"
                        + " unencrypted: use ssl or starttls, or set SMTP_ALLOW_PLAINTEXT_AUTH=true.");
        assertThatThrownBy(() -> MailConfig.from(smtp("SMTP_PROTOCOL", "plain", "SMTP_PASSWORD_PARAMETER", parameter,
                "SMTP_ALLOW_PLAINTEXT_AUTH", "false"))).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void sendsThePasswordOverPlain_whenPlaintextAuthIsAllowed_warningThatItTravelsUnencrypted() {
        MailConfig config = MailConfig.from(smtp("SMTP_PROTOCOL", "plain", "SMTP_PASSWORD_PARAMETER", "/team/smtp",
                "SMTP_ALLOW_PLAINTEXT_AUTH", "true"));

        assertThat(config.smtp()).contains(new SmtpSettings("smtp.example.com", 25, SmtpProtocol.PLAIN,
                "ikr@example.com", "/team/smtp", true));
        assertThat(config.plaintextWarning()).contains("SMTP_PROTOCOL is plain and SMTP_ALLOW_PLAINTEXT_AUTH is true:"
                + " the SMTP password and the mails travel to the relay unencrypted");
    }

    @Test
    void allowsAPlainRelayWithoutAPasswordParameter_warningThatMailsTravelUnencryptedWithoutLogin() {
        MailConfig config = MailConfig.from(smtp("SMTP_PROTOCOL", "plain"));

        assertThat(config.smtp()).contains(new SmtpSettings("smtp.example.com", 25, SmtpProtocol.PLAIN,
                "ikr@example.com", "/ikr/secret/smtp", false));
        assertThat(config.plaintextWarning()).contains(
                "SMTP_PROTOCOL is plain: the mails travel to the relay unencrypted, and IKR does not log in");
    }

    @Test
    void failsNamingTheVariable_whenPlaintextAuthIsNotABoolean() {
        assertThatThrownBy(() -> MailConfig.from(smtp("SMTP_PROTOCOL", "plain", "SMTP_ALLOW_PLAINTEXT_AUTH", "maybe")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("SMTP_ALLOW_PLAINTEXT_AUTH must be true or false, not 'maybe'.");
    }

    @Test
    void defaultsSmtpToStartTlsOnPort587_loggingInAsTheSender() {
        MailConfig config = MailConfig.from(smtp());

        assertThat(config.client()).isEqualTo(MailClient.SMTP);
        assertThat(config.smtp()).contains(new SmtpSettings("smtp.example.com", 587, SmtpProtocol.STARTTLS,
                "ikr@example.com", "/ikr/secret/smtp", false));
        assertThat(config.mailgun()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"ssl, SSL, 465", "starttls, STARTTLS, 587", "tls, STARTTLS, 587", "TLS, STARTTLS, 587",
            "plain, PLAIN, 25", "Plain, PLAIN, 25"})
    void defaultsThePortToTheProtocols(String value, SmtpProtocol protocol, int port) {
        SmtpSettings smtp = MailConfig.from(smtp("SMTP_PROTOCOL", value)).smtp().orElseThrow();

        assertThat(smtp.protocol()).isEqualTo(protocol);
        assertThat(smtp.port()).isEqualTo(port);
    }

    @Test
    void readsEverySmtpVariable() {
        MailConfig config = MailConfig.from(smtp("SMTP_SERVER", "email-smtp.eu-west-1.amazonaws.com",
                "SMTP_PORT", "2465", "SMTP_PROTOCOL", "ssl", "SMTP_USER", "AKIAEXAMPLE",
                "SMTP_PASSWORD_PARAMETER", "/team/smtp-password", "MAIL_TIMEOUT_SECONDS", "2"));

        assertThat(config.smtp()).contains(new SmtpSettings("email-smtp.eu-west-1.amazonaws.com", 2465,
                SmtpProtocol.SSL, "AKIAEXAMPLE", "/team/smtp-password", false));
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void failsNamingTheServer_whenSmtpHasNoServer() {
        var env = smtp();
        env.put("SMTP_SERVER", " ");

        assertThatThrownBy(() -> MailConfig.from(env))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("SMTP_SERVER")
                .hasMessageContaining("required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"smtp.example.com:587", "smtp://smtp.example.com", "smtp example.com"})
    void failsNamingTheServer_whenItIsNotAHostName(String value) {
        assertThatThrownBy(() -> MailConfig.from(smtp("SMTP_SERVER", value)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("SMTP_SERVER")
                .hasMessageContaining("'" + value + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "-25", "smtp", "5.87"})
    void failsNamingThePortAndTheRange_whenThePortIsBad(String value) {
        assertThatThrownBy(() -> MailConfig.from(smtp("SMTP_PORT", value)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("SMTP_PORT")
                .hasMessageContaining("from 1 to 65535")
                .hasMessageContaining("'" + value + "'");
    }

    @Test
    void failsNamingTheProtocolAndItsValues_whenTheProtocolIsUnknown() {
        assertThatThrownBy(() -> MailConfig.from(smtp("SMTP_PROTOCOL", "ssl3")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("SMTP_PROTOCOL must be one of ssl, starttls (or tls), plain, not 'ssl3'.");
    }

    @ParameterizedTest
    @CsvSource({"SMTP_PASSWORD_PARAMETER, smtp password", "SMTP_PASSWORD_PARAMETER, /ikr/secret/smtp?",
            "MAILGUN_API_KEY_NAME, key name"})
    void failsNamingTheVariable_whenAParameterNameIsNotOneSsmAllows(String name, String value) {
        var env = name.startsWith("SMTP") ? smtp(name, value) : mailgun(name, value);

        assertThatThrownBy(() -> MailConfig.from(env))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(name)
                .hasMessageContaining("SSM parameter name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "301", "ten", "-1"})
    void failsNamingTheTimeout_whenItIsNotFromOneTo300Seconds(String value) {
        assertThatThrownBy(() -> MailConfig.from(env("MAIL_TIMEOUT_SECONDS", value)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MAIL_TIMEOUT_SECONDS")
                .hasMessageContaining("from 1 to 300");
    }

    @Test
    void failsListingTheThreeClients_whenTheMailClientIsUnknown() {
        assertThatThrownBy(() -> MailConfig.from(env("MAIL_CLIENT", "pigeon")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("MAIL_CLIENT must be one of ses, mailgun, smtp, not 'pigeon'.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mailgun", "MAILGUN", " Mailgun "})
    void acceptsTheMailClientInAnyCase(String value) {
        MailConfig config = MailConfig.from(env("MAIL_CLIENT", value, "MAILGUN_API_URL", MAILGUN_URL));

        assertThat(config.client()).isEqualTo(MailClient.MAILGUN);
    }
}
