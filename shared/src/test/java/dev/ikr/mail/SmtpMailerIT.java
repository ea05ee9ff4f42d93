package dev.ikr.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.DummySSLServerSocketFactory;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.ikr.aws.AwsClients;
import dev.ikr.aws.SsmSecretParameters;
import dev.ikr.config.MailConfig.SmtpProtocol;
import dev.ikr.config.MailConfig.SmtpSettings;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.MailMessage;
import dev.ikr.testbed.Moto;
import dev.ikr.testbed.MotoExtension;
import dev.ikr.testbed.TestAccount;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * {@link SmtpMailer} against GreenMail (SMTP and SMTPS on free ports) with the password in moto's SSM. GreenMail's
 * SMTPS shows a certificate made for 127.0.0.1 by the test, which the mailer trusts instead of the JDK's trust
 * store; the host name check stays on. GreenMail 2.1 has no STARTTLS: {@link SmtpMailerTlsIT} covers it, and
 * certificates issued for another host.
 */
@ExtendWith(MotoExtension.class)
class SmtpMailerIT {

    /** GreenMail reads its key store once per JVM, when it first serves SMTPS: no other test in it does. */
    private static final TestCertificates.Identity RELAY = TestCertificates.issue(TestCertificates.LOOPBACK);

    static {
        System.setProperty("greenmail.tls.keystore.file", RELAY.keyStoreFile().toString());
        System.setProperty("greenmail.tls.keystore.password", TestCertificates.PASSWORD);
        System.setProperty("greenmail.tls.key.password", TestCertificates.PASSWORD);
    }

    private static final String HOST = "127.0.0.1";
    private static final String SENDER = "ikr@example.com";
    private static final String LOGIN = "ikr-relay";
    private static final String PASSWORD = "pw-Th1s-Must-Never-Leak";
    private static final String PARAMETER = "/ikr/secret/smtp";
    private static final List<String> RECIPIENTS = List.of("alice@example.com", "ops@example.com");
    private static final MailMessage MESSAGE = new MailMessage(
            RECIPIENTS.stream().map(EmailAddress::of).toList(),
            "Neuer Zugangsschlüssel für alice",
            "Grüße: your new key is AKIAEXAMPLE",
            "<p>Grüße: your new key is <b>AKIAEXAMPLE</b></p>");

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(
            ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.SMTP, ServerSetupTest.SMTPS}))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(SENDER, LOGIN, PASSWORD));

    private TestAccount account;
    private AwsClients aws;

    @BeforeEach
    void setUp() {
        account = new TestAccount(Moto.shared());
        aws = new AwsClients();
    }

    @BeforeAll
    static void greenMailShowsTheTestsCertificate() throws Exception {
        var factory = (DummySSLServerSocketFactory) DummySSLServerSocketFactory.getDefault();
        assertThat(factory.getKeyStore().getCertificateAlias(RELAY.certificate()))
                .as("GreenMail's SMTPS certificate is the test's (another test started SMTPS first?)").isNotNull();
    }

    @ParameterizedTest(name = "{0}, password in SSM: {1}")
    @CsvSource({"PLAIN, true", "PLAIN, false", "SSL, true", "SSL, false"})
    void deliversOneMultipartAlternativeMail_withAndWithoutLoggingIn(SmtpProtocol protocol, boolean withPassword)
            throws Exception {
        if (withPassword) {
            storePassword(PASSWORD);
        }

        mailer(protocol, true).send(MESSAGE);

        MimeMessage[] received = GREEN_MAIL.getReceivedMessages();
        assertThat(received).hasSize(RECIPIENTS.size());
        for (MimeMessage mail : received) {
            assertThat(addresses(mail.getFrom())).containsExactly(SENDER);
            assertThat(addresses(mail.getAllRecipients())).containsExactlyElementsOf(RECIPIENTS);
            assertThat(mail.getSubject()).isEqualTo(MESSAGE.subject());
            assertThat(mail.isMimeType("multipart/alternative")).isTrue();
            var parts = (MimeMultipart) mail.getContent();
            assertThat(parts.getCount()).isEqualTo(2);
            assertThat(parts.getBodyPart(0).isMimeType("text/plain")).isTrue();
            assertThat(parts.getBodyPart(0).getContentType()).containsIgnoringCase("charset=UTF-8");
            assertThat(((String) parts.getBodyPart(0).getContent()).strip()).isEqualTo(MESSAGE.text());
            assertThat(parts.getBodyPart(1).isMimeType("text/html")).isTrue();
            assertThat(parts.getBodyPart(1).getContentType()).containsIgnoringCase("charset=UTF-8");
            assertThat(((String) parts.getBodyPart(1).getContent()).strip()).isEqualTo(MESSAGE.html());
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"PLAIN", "SSL"})
    void failsWithoutRevealingThePassword_whenTheRelayRejectsTheLogin(SmtpProtocol protocol) {
        String wrong = "wrong-" + PASSWORD;
        storePassword(wrong);

        assertThatThrownBy(() -> mailer(protocol, true).send(MESSAGE))
                .isInstanceOf(MailDeliveryException.class)
                .hasMessageContaining("AuthenticationFailedException")
                .satisfies(e -> assertThat(fullText(e)).doesNotContain(wrong).doesNotContain(PASSWORD));
        assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void refusesToSendThePasswordOverPlain_andSendsNothing_unlessPlaintextAuthIsAllowed() {
        storePassword(PASSWORD);

        assertThatThrownBy(() -> mailer(SmtpProtocol.PLAIN, false).send(MESSAGE))
                .isInstanceOf(MailDeliveryException.class)
                .hasMessageContaining(PARAMETER)
                .hasMessageContaining("SMTP_ALLOW_PLAINTEXT_AUTH")
                .satisfies(e -> assertThat(fullText(e)).doesNotContain(PASSWORD));
        assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void sendsWithoutLoggingInOverPlain_whenThePasswordParameterDoesNotExist() {
        mailer(SmtpProtocol.PLAIN, false).send(MESSAGE);

        assertThat(GREEN_MAIL.getReceivedMessages()).hasSize(RECIPIENTS.size());
    }

    @Test
    void refusesTheRelay_whenItsCertificateIsNotTrusted_asInProduction() {
        var production = new SmtpMailer(
                new SmtpSettings(HOST, GREEN_MAIL.getSmtps().getPort(), SmtpProtocol.SSL, LOGIN, PARAMETER, false),
                EmailAddress.of(SENDER), Duration.ofSeconds(10), new SsmSecretParameters(aws.ssm()));

        assertThatThrownBy(() -> production.send(MESSAGE))
                .isInstanceOf(MailDeliveryException.class)
                .hasMessageContaining("unable to find valid certification path");
        assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void readsThePasswordFromSsmOnce_acrossSeveralMails() {
        storePassword(PASSWORD);
        SmtpMailer mailer = mailer(SmtpProtocol.SSL, false);

        mailer.send(MESSAGE);
        mailer.send(MESSAGE);
        mailer.send(MESSAGE);

        assertThat(GREEN_MAIL.getReceivedMessages()).hasSize(3 * RECIPIENTS.size());
        assertThat(aws.callCounter().snapshot()).containsEntry("ssm:GetParameter", 1L);
    }

    @ParameterizedTest
    @EnumSource(SmtpProtocol.class)
    void givesUpWithinTheTimeout_whenTheRelayAcceptsTheConnectionButNeverAnswers(SmtpProtocol protocol)
            throws IOException {
        try (var silent = new SilentRelay()) {
            SmtpMailer mailer = new SmtpMailer(
                    new SmtpSettings(HOST, silent.port(), protocol, LOGIN, PARAMETER, true), EmailAddress.of(SENDER),
                    Duration.ofSeconds(2), new SsmSecretParameters(aws.ssm()), Optional.of(RELAY.trustedByClient()));

            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> mailer.send(MESSAGE))
                    .isInstanceOf(MailDeliveryException.class)
                    .hasMessageContaining("SocketTimeoutException"));
        }
    }

    /** A mailer for GreenMail that trusts its certificate, checking the host name as in production. */
    private SmtpMailer mailer(SmtpProtocol protocol, boolean plaintextAuthAllowed) {
        int port = protocol == SmtpProtocol.SSL ? GREEN_MAIL.getSmtps().getPort() : GREEN_MAIL.getSmtp().getPort();
        return new SmtpMailer(new SmtpSettings(HOST, port, protocol, LOGIN, PARAMETER, plaintextAuthAllowed),
                EmailAddress.of(SENDER), Duration.ofSeconds(10), new SsmSecretParameters(aws.ssm()),
                Optional.of(RELAY.trustedByClient()));
    }

    private void storePassword(String password) {
        account.aws().ssm().putParameter(request -> request
                .name(PARAMETER).type(ParameterType.SECURE_STRING).value(password).overwrite(true));
    }

    private static List<String> addresses(Address[] addresses) {
        return Arrays.stream(addresses).map(Address::toString).toList();
    }

    /** Every message in the cause chain: none may carry the password. */
    private static String fullText(Throwable error) {
        var text = new StringBuilder();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            text.append(cause).append('\n');
        }
        return text.toString();
    }

    /** A relay that takes connections and then says nothing, ever. */
    private static final class SilentRelay implements AutoCloseable {

        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName(HOST));
        private final List<Socket> held = new ArrayList<>();
        private final Thread acceptor = Thread.ofVirtual().start(this::acceptForever);

        SilentRelay() throws IOException {
        }

        int port() {
            return server.getLocalPort();
        }

        private void acceptForever() {
            try {
                while (true) {
                    Socket socket = server.accept();
                    synchronized (held) {
                        held.add(socket);
                    }
                }
            } catch (IOException closed) {
                // the test is over
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            acceptor.interrupt();
            synchronized (held) {
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }
}
