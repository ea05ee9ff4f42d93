package dev.ikr.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ikr.config.MailConfig.SmtpProtocol;
import dev.ikr.config.MailConfig.SmtpSettings;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.MailMessage;
import dev.ikr.mail.StandInRelay.Command;
import dev.ikr.mail.StandInRelay.Mode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link SmtpMailer} and the relay's identity: with {@code ssl} and {@code starttls}, the password goes only inside
 * TLS, to a relay whose certificate is trusted and issued for {@code SMTP_SERVER}. The relay is a stand-in
 * ({@link StandInRelay}) that shows a certificate made for the test; the mailer trusts that certificate instead
 * of the JDK's trust store and otherwise runs with its production settings.
 */
class SmtpMailerTlsIT {

    private static final String HOST = "127.0.0.1";
    private static final String SENDER = "ikr@example.com";
    private static final String LOGIN = "ikr-relay";
    private static final String PASSWORD = "pw-Th1s-Must-Never-Leak";
    private static final MailMessage MESSAGE = new MailMessage(List.of(EmailAddress.of("alice@example.com")),
            "New key for alice", "your new key is AKIAEXAMPLE", "<p>your new key is AKIAEXAMPLE</p>");

    private static final TestCertificates.Identity FOR_THIS_HOST = TestCertificates.issue(TestCertificates.LOOPBACK);
    private static final TestCertificates.Identity FOR_ANOTHER_HOST = TestCertificates.issue("dns:relay.other.example");

    @ParameterizedTest
    @EnumSource(names = {"SSL", "STARTTLS"})
    void delivers_andLogsInOnlyOverTls_whenTheTrustedCertificateIsForTheServerName(Mode mode) throws IOException {
        try (var relay = new StandInRelay(mode, FOR_THIS_HOST.serverContext())) {
            mailer(mode, relay, FOR_THIS_HOST).send(MESSAGE);

            assertThat(relay.messages()).hasSize(1);
            assertThat(relay.messages().getFirst()).contains("Subject: New key for alice");
            assertThat(relay.logins()).containsExactly(LOGIN + ":" + PASSWORD);
            assertThat(relay.commands()).filteredOn(command -> !command.overTls())
                    .extracting(Command::verb).isSubsetOf("EHLO", "STARTTLS");
            assertThat(relay.commands()).extracting(Command::verb).contains("AUTH", "MAIL", "DATA");
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"SSL", "STARTTLS"})
    void refusesTheRelay_beforeLoggingIn_whenItsTrustedCertificateIsForAnotherHost(Mode mode) throws IOException {
        try (var relay = new StandInRelay(mode, FOR_ANOTHER_HOST.serverContext())) {
            SmtpMailer mailer = mailer(mode, relay, FOR_ANOTHER_HOST);

            assertThatThrownBy(() -> mailer.send(MESSAGE))
                    .isInstanceOf(MailDeliveryException.class)
                    .hasMessageContaining("the SMTP relay " + HOST + ":" + relay.port() + " was refused: its"
                            + " certificate is not trusted or not issued for " + HOST)
                    .hasMessageContaining("No subject alternative names matching IP address " + HOST)
                    .satisfies(e -> assertThat(fullText(e)).doesNotContain(PASSWORD));
            assertThat(relay.verbs()).doesNotContain("AUTH", "MAIL", "RCPT", "DATA");
            assertThat(relay.logins()).isEmpty();
            assertThat(relay.messages()).isEmpty();
        }
    }

    @Test
    void refusesTheRelay_beforeLoggingIn_whenStartTlsIsRequiredButTheRelayDoesNotOfferIt() throws IOException {
        try (var relay = new StandInRelay(Mode.NO_STARTTLS, FOR_THIS_HOST.serverContext())) {
            SmtpMailer mailer = mailer(Mode.STARTTLS, relay, FOR_THIS_HOST);

            assertThatThrownBy(() -> mailer.send(MESSAGE))
                    .isInstanceOf(MailDeliveryException.class)
                    .hasMessageContaining("STARTTLS is required but host does not support STARTTLS")
                    .satisfies(e -> assertThat(fullText(e)).doesNotContain(PASSWORD));
            assertThat(relay.verbs()).contains("EHLO").doesNotContain("AUTH", "MAIL", "RCPT", "DATA");
            assertThat(relay.logins()).isEmpty();
            assertThat(relay.messages()).isEmpty();
        }
    }

    private static SmtpMailer mailer(Mode mode, StandInRelay relay, TestCertificates.Identity trusted) {
        SmtpProtocol protocol = mode == Mode.SSL ? SmtpProtocol.SSL : SmtpProtocol.STARTTLS;
        return new SmtpMailer(new SmtpSettings(HOST, relay.port(), protocol, LOGIN, "/ikr/secret/smtp", false),
                EmailAddress.of(SENDER), Duration.ofSeconds(10), name -> Optional.of(PASSWORD),
                Optional.of(trusted.trustedByClient()));
    }

    private static String fullText(Throwable error) {
        var text = new StringBuilder();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            text.append(cause).append('\n');
        }
        return text.toString();
    }
}
