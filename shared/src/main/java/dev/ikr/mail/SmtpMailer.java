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
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * Sends through an SMTP relay with Jakarta Mail: one multipart/alternative message with the text and the HTML
 * part. The password is read from SSM on the first send and then kept; when its parameter does not exist, the
 * mailer sends without logging in. Every connect, read and write has {@code MAIL_TIMEOUT_SECONDS}, so a dead
 * relay cannot hold the function until Lambda kills it.
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
     * @param trustedTestHost tests only: trust whatever certificate this host shows (GreenMail's self-signed one).
     *     Production passes empty: the JDK's trust store and the host name check decide.
     */
    SmtpMailer(SmtpSettings settings, EmailAddress from, Duration timeout, SecretParameters secrets,
            Optional<String> trustedTestHost) {
        this.settings = settings;
        this.from = from;
        this.session = Session.getInstance(properties(settings, timeout, trustedTestHost));
        this.password = Lazy.of(() -> secrets.read(settings.passwordParameter()));
    }

    @Override
    public void send(MailMessage message) {
        Optional<String> secret = password.get();
        try (Transport transport = session.getTransport("smtp")) {
            MimeMessage mime = mime(message);
            transport.connect(settings.server(), settings.port(),
                    secret.map(present -> settings.user()).orElse(null), secret.orElse(null));
            transport.sendMessage(mime, mime.getAllRecipients());
        } catch (MessagingException e) {
            throw new MailDeliveryException("the SMTP relay " + settings.server() + ":" + settings.port()
                    + " did not accept the mail: " + describe(e), e);
        }
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

    private static Properties properties(SmtpSettings settings, Duration timeout, Optional<String> trustedTestHost) {
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
        trustedTestHost.ifPresent(host -> {
            properties.put("mail.smtp.ssl.trust", host);
            properties.put("mail.smtp.ssl.checkserveridentity", "false");
        });
        return properties;
    }
}
