package dev.ikr.mail;

import dev.ikr.config.MailConfig.SmtpProtocol;
import dev.ikr.config.MailConfig.SmtpSettings;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.MailMessage;
import dev.ikr.port.Mailer;
import dev.ikr.port.SecretParameters;
import dev.ikr.util.Lazy;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends through an SMTP relay with Jakarta Mail: one multipart/alternative message with the text and the HTML
 * part. The password is read from SSM on the first send and then kept; when its parameter does not exist, the
 * mailer sends without logging in. Every connect, read and write has {@code MAIL_TIMEOUT_SECONDS}, so a dead
 * relay cannot hold the function until Lambda kills it.
 *
 * <p>The password never travels unencrypted unless {@code SMTP_ALLOW_PLAINTEXT_AUTH} says so: {@code ssl} and
 * {@code starttls} check the relay's certificate against the trust store and its host name against
 * {@code SMTP_SERVER}; {@code starttls} gives up (before logging in) when the relay does not offer STARTTLS; and
 * with {@code plain}, an existing password parameter stops the send instead of going out in the clear.
 */
public final class SmtpMailer implements Mailer {

    private static final String UTF_8 = StandardCharsets.UTF_8.name();

    private final SmtpSettings settings;
    private final EmailAddress from;
    private final Session session;
    private final Lazy<Optional<String>> password;

    public SmtpMailer(SmtpSettings settings, EmailAddress from, Duration timeout, SecretParameters secrets) {
        this(settings, from, timeout, secrets, Optional.empty());
    }

    /**
     * @param testTrust tests only: TLS sockets that trust the test's own certificate authority instead of the JDK's
     *     trust store. The host name check stays on. Production passes empty.
     */
    SmtpMailer(SmtpSettings settings, EmailAddress from, Duration timeout, SecretParameters secrets,
            Optional<SSLSocketFactory> testTrust) {
        this.settings = settings;
        this.from = from;
        this.session = Session.getInstance(properties(settings, timeout, testTrust));
        this.password = Lazy.of(() -> secrets.read(settings.passwordParameter()));
    }

    @Override
    public void send(MailMessage message) {
        Optional<String> secret = password.get();
        if (secret.isPresent() && settings.protocol() == SmtpProtocol.PLAIN && !settings.plaintextAuthAllowed()) {
            throw new MailDeliveryException("the SMTP password parameter " + settings.passwordParameter()
                    + " exists but SMTP_PROTOCOL is plain: IKR sends the password only over ssl or starttls,"
                    + " or over plain when SMTP_ALLOW_PLAINTEXT_AUTH is true");
        }
        try (Transport transport = session.getTransport("smtp")) {
            MimeMessage mime = mime(message);
            transport.connect(settings.server(), settings.port(),
                    secret.map(present -> settings.user()).orElse(null), secret.orElse(null));
            transport.sendMessage(mime, mime.getAllRecipients());
        } catch (MessagingException e) {
            String relay = "the SMTP relay " + settings.server() + ":" + settings.port();
            throw new MailDeliveryException(refusedCertificate(e)
                    ? relay + " was refused: its certificate is not trusted or not issued for " + settings.server()
                            + ": " + describe(e)
                    : relay + " did not accept the mail: " + describe(e), e);
        }
    }

    /** Whether the TLS handshake failed on the relay's certificate: untrusted, or for another host name. */
    private static boolean refusedCertificate(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    /** The exception and, when deeper, its root cause ("Exception reading response" says little alone). */
    private static String describe(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String first = e.getClass().getSimpleName() + ": " + e.getMessage();
        return root == e ? first : first + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    private MimeMessage mime(MailMessage message) throws MessagingException {
        var text = new MimeBodyPart();
        text.setText(message.text(), UTF_8, "plain");
        var html = new MimeBodyPart();
        html.setText(message.html(), UTF_8, "html");
        var mime = new MimeMessage(session);
        mime.setFrom(new InternetAddress(from.value()));
        for (EmailAddress to : message.to()) {
            mime.addRecipient(Message.RecipientType.TO, new InternetAddress(to.value()));
        }
        mime.setSubject(message.subject(), UTF_8);
        mime.setContent(new MimeMultipart("alternative", text, html));
        mime.saveChanges();
        return mime;
    }

    private static Properties properties(SmtpSettings settings, Duration timeout,
            Optional<SSLSocketFactory> testTrust) {
        var properties = new Properties();
        String millis = Long.toString(timeout.toMillis());
        for (String prefix : new String[] {"mail.smtp.", "mail.smtps."}) {
            properties.put(prefix + "connectiontimeout", millis);
            properties.put(prefix + "timeout", millis);
            properties.put(prefix + "writetimeout", millis);
        }
        if (settings.protocol() == SmtpProtocol.SSL) {
            properties.put("mail.smtp.ssl.enable", "true");
        } else if (settings.protocol() == SmtpProtocol.STARTTLS) {
            properties.put("mail.smtp.starttls.enable", "true");
            properties.put("mail.smtp.starttls.required", "true");
        }
        properties.put("mail.smtp.ssl.checkserveridentity", "true");
        testTrust.ifPresent(factory -> {
            properties.put("mail.smtp.ssl.socketFactory", factory);
            properties.put("mail.smtp.socketFactory.fallback", "false");
        });
        return properties;
    }
}
