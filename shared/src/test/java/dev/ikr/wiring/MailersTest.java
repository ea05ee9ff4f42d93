package dev.ikr.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ikr.aws.AwsClients;
import dev.ikr.config.MailConfig;
import dev.ikr.mail.MailgunMailer;
import dev.ikr.mail.SmtpMailer;
import dev.ikr.testbed.LogCapture;
import dev.ikr.testing.Variables;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cold start's one WARN line when the mail configuration lets something travel unencrypted. */
class MailersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static String region;

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    @BeforeAll
    static void setRegion() {
        region = System.getProperty("aws.region");
        System.setProperty("aws.region", "eu-west-1"); // Lambda always sets AWS_REGION; no call is made
    }

    @AfterAll
    static void restoreRegion() {
        if (region == null) {
            System.clearProperty("aws.region");
        } else {
            System.setProperty("aws.region", region);
        }
    }

    @Test
    void warnsOnce_thatMailsTravelUnencrypted_whenSmtpIsPlainWithoutLogin() throws Exception {
        var mailer = Mailers.create(MailConfig.from(env("MAIL_CLIENT", "smtp", "SMTP_SERVER", "relay.internal",
                "SMTP_PROTOCOL", "plain")), new AwsClients());

        assertThat(mailer).isInstanceOf(SmtpMailer.class);
        JsonNode line = single();
        assertThat(line.path("level").asText()).isEqualTo("WARN");
        assertThat(line.path("logger").asText()).isEqualTo("Mailers");
        assertThat(line.path("message").asText()).isEqualTo(
                "SMTP_PROTOCOL is plain: the mails travel to the relay unencrypted, and IKR does not log in");
        assertThat(line.path("mailClient").asText()).isEqualTo("smtp");
    }

    @Test
    void warnsOnce_thatThePasswordTravelsUnencrypted_whenPlaintextAuthIsAllowed() throws Exception {
        Mailers.create(MailConfig.from(env("MAIL_CLIENT", "smtp", "SMTP_SERVER", "relay.internal",
                "SMTP_PROTOCOL", "plain", "SMTP_PASSWORD_PARAMETER", "/team/smtp", "SMTP_ALLOW_PLAINTEXT_AUTH",
                "true")), new AwsClients());

        JsonNode line = single();
        assertThat(line.path("level").asText()).isEqualTo("WARN");
        assertThat(line.path("message").asText()).contains("SMTP_ALLOW_PLAINTEXT_AUTH is true")
                .contains("the SMTP password and the mails travel to the relay unencrypted");
    }

    @Test
    void warnsOnce_thatTheKeyTravelsUnencrypted_whenMailgunIsHttpOnLoopback() throws Exception {
        var mailer = Mailers.create(MailConfig.from(env("MAIL_CLIENT", "mailgun",
                "MAILGUN_API_URL", "http://127.0.0.1:8080/v3/mg.example.com")), new AwsClients());

        assertThat(mailer).isInstanceOf(MailgunMailer.class);
        JsonNode line = single();
        assertThat(line.path("level").asText()).isEqualTo("WARN");
        assertThat(line.path("message").asText()).startsWith("MAILGUN_API_URL is http on a loopback host");
        assertThat(line.path("mailClient").asText()).isEqualTo("mailgun");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ses", "smtp-ssl", "smtp-starttls", "mailgun-https"})
    void logsNothing_whenEverythingIsEncrypted(String choice) {
        Map<String, String> env = switch (choice) {
            case "ses" -> env();
            case "smtp-ssl" -> env("MAIL_CLIENT", "smtp", "SMTP_SERVER", "smtp.example.com", "SMTP_PROTOCOL", "ssl");
            case "smtp-starttls" -> env("MAIL_CLIENT", "smtp", "SMTP_SERVER", "smtp.example.com",
                    "SMTP_ALLOW_PLAINTEXT_AUTH", "true");
            default -> env("MAIL_CLIENT", "mailgun", "MAILGUN_API_URL", "https://api.eu.mailgun.net/v3/mg.example.com");
        };

        Mailers.create(MailConfig.from(env), new AwsClients());

        assertThat(logs.lines()).isEmpty();
    }

    private JsonNode single() throws Exception {
        List<String> lines = logs.lines();
        assertThat(lines).hasSize(1);
        return JSON.readTree(lines.getFirst());
    }

    private static Map<String, String> env(String... pairs) {
        return Variables.withSender(pairs);
    }
}
