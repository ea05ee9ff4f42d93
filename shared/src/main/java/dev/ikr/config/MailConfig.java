package dev.ikr.config;

import dev.ikr.domain.EmailAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How both functions send mail. Names and defaults are the original project's where it had them.
 *
 * @param client {@code MAIL_CLIENT}: ses (default), mailgun or smtp
 * @param from {@code MAIL_FROM}: the sender
 * @param timeout {@code MAIL_TIMEOUT_SECONDS} (10): connect and read timeout of Mailgun and SMTP
 * @param mailgun the Mailgun settings, present exactly when the client is mailgun
 * @param smtp the SMTP settings, present exactly when the client is smtp
 */
public record MailConfig(
        MailClient client,
        EmailAddress from,
        Duration timeout,
        Optional<MailgunSettings> mailgun,
        Optional<SmtpSettings> smtp) {

    public static final int DEFAULT_TIMEOUT_SECONDS = 10;
    public static final String DEFAULT_MAILGUN_API_KEY_NAME = "/ikr/secret/mailgun";
    public static final String DEFAULT_SMTP_PASSWORD_PARAMETER = "/ikr/secret/smtp";
    private static final int MAX_TIMEOUT_SECONDS = 300;
    private static final int MAX_PORT = 65_535;

    public MailConfig {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(timeout, "timeout");
        if (mailgun.isPresent() != (client == MailClient.MAILGUN) || smtp.isPresent() != (client == MailClient.SMTP)) {
            throw new IllegalArgumentException("the mailer settings must match the mail client " + client);
        }
    }

    /**
     * @param apiUrl {@code MAILGUN_API_URL}: the sending domain's API base, without a trailing slash, e.g.
     *     {@code https://api.eu.mailgun.net/v3/mg.example.com}
     * @param apiKeyName {@code MAILGUN_API_KEY_NAME}: the SSM SecureString holding the API key
     */
    public record MailgunSettings(URI apiUrl, String apiKeyName) {
        public MailgunSettings {
            Objects.requireNonNull(apiUrl, "apiUrl");
            Objects.requireNonNull(apiKeyName, "apiKeyName");
        }
    }

    /**
     * @param server {@code SMTP_SERVER}: the relay's host name
     * @param port {@code SMTP_PORT}: 465 for ssl, 587 for starttls, 25 for plain unless set
     * @param protocol {@code SMTP_PROTOCOL}: starttls unless set
     * @param user {@code SMTP_USER}: the login, {@code MAIL_FROM} unless set
     * @param passwordParameter {@code SMTP_PASSWORD_PARAMETER}: the SSM SecureString holding the password; when it
     *     does not exist, IKR sends without logging in
     */
    public record SmtpSettings(String server, int port, SmtpProtocol protocol, String user, String passwordParameter) {
        public SmtpSettings {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(passwordParameter, "passwordParameter");
            if (port < 1 || port > MAX_PORT) {
                throw new IllegalArgumentException("port " + port + " is not from 1 to " + MAX_PORT);
            }
        }
    }

    /** How the SMTP connection is secured. */
    public enum SmtpProtocol {
        /** TLS from the first byte (SMTPS). */
        SSL(465),
        /** Plain connection upgraded with STARTTLS, which the relay must offer. */
        STARTTLS(587),
        /** No encryption at all. */
        PLAIN(25);

        private final int defaultPort;

        SmtpProtocol(int defaultPort) {
            this.defaultPort = defaultPort;
        }

        public int defaultPort() {
            return defaultPort;
        }
    }

    /** @throws ConfigurationException naming the first variable that is missing or wrong */
    public static MailConfig from(Map<String, String> variables) {
        var env = new Environment(variables);
        MailClient client = env.oneOf("MAIL_CLIENT", MailClient.class, MailClient.SES);
        EmailAddress from = env.email("MAIL_FROM");
        Duration timeout = Duration.ofSeconds(
                env.positiveInt("MAIL_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS));
        Optional<MailgunSettings> mailgun = client == MailClient.MAILGUN ? Optional.of(mailgun(env)) : Optional.empty();
        Optional<SmtpSettings> smtp = client == MailClient.SMTP ? Optional.of(smtp(env, from)) : Optional.empty();
        return new MailConfig(client, from, timeout, mailgun, smtp);
    }

    private static MailgunSettings mailgun(Environment env) {
        String url = env.required("MAILGUN_API_URL",
                "the Mailgun API URL of the sending domain, e.g. https://api.eu.mailgun.net/v3/mg.example.com");
        return new MailgunSettings(httpUrl("MAILGUN_API_URL", url),
                parameterName(env, "MAILGUN_API_KEY_NAME", DEFAULT_MAILGUN_API_KEY_NAME));
    }

    private static SmtpSettings smtp(Environment env, EmailAddress from) {
        String server = env.required("SMTP_SERVER", "the host name of the SMTP relay, e.g. smtp.example.com");
        if (!server.matches("[A-Za-z0-9._-]+")) {
            throw new ConfigurationException("SMTP_SERVER must be a host name such as smtp.example.com"
                    + " (the port goes in SMTP_PORT), not '" + server + "'.");
        }
        SmtpProtocol protocol = env.optional("SMTP_PROTOCOL").map(MailConfig::protocol).orElse(SmtpProtocol.STARTTLS);
        int port = env.positiveInt("SMTP_PORT", protocol.defaultPort(), MAX_PORT);
        String user = env.optional("SMTP_USER").orElse(from.value());
        return new SmtpSettings(server, port, protocol, user,
                parameterName(env, "SMTP_PASSWORD_PARAMETER", DEFAULT_SMTP_PASSWORD_PARAMETER));
    }

    /** ssl, starttls or plain; the original project's {@code tls} means starttls. */
    private static SmtpProtocol protocol(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "ssl" -> SmtpProtocol.SSL;
            case "starttls", "tls" -> SmtpProtocol.STARTTLS;
            case "plain" -> SmtpProtocol.PLAIN;
            default -> throw new ConfigurationException(
                    "SMTP_PROTOCOL must be one of ssl, starttls (or tls), plain, not '" + value + "'.");
        };
    }

    private static URI httpUrl(String name, String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null) {
                return URI.create(value.replaceAll("/+$", ""));
            }
        } catch (URISyntaxException invalid) {
            // reported below
        }
        throw new ConfigurationException(name + " must be an http(s) URL without query, such as "
                + "https://api.eu.mailgun.net/v3/mg.example.com, not '" + value + "'.");
    }

    /** An SSM parameter name: letters, digits and {@code _.-/}, as SSM allows. */
    private static String parameterName(Environment env, String name, String defaultValue) {
        String value = env.optional(name).orElse(defaultValue);
        if (!value.matches("[A-Za-z0-9_./-]{1,2048}")) {
            throw new ConfigurationException(name + " must be an SSM parameter name such as " + defaultValue
                    + ", not '" + value + "'.");
        }
        return value;
    }
}
