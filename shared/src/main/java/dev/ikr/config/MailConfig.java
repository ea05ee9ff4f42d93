package dev.ikr.config;

import dev.ikr.domain.EmailAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
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
     * What this configuration lets travel unencrypted, as one sentence for the cold start's WARN line, or empty
     * when everything that leaves the function is encrypted: a {@code plain} SMTP relay, or a Mailgun URL that
     * is {@code http} on a loopback host (tests).
     */
    public Optional<String> plaintextWarning() {
        if (smtp.isPresent() && smtp.get().protocol() == SmtpProtocol.PLAIN) {
            return Optional.of(smtp.get().plaintextAuthAllowed()
                    ? "SMTP_PROTOCOL is plain and SMTP_ALLOW_PLAINTEXT_AUTH is true: the SMTP password and the mails"
                            + " travel to the relay unencrypted"
                    : "SMTP_PROTOCOL is plain: the mails travel to the relay unencrypted, and IKR does not log in");
        }
        if (mailgun.isPresent() && mailgun.get().apiUrl().getScheme().equalsIgnoreCase("http")) {
            return Optional.of("MAILGUN_API_URL is http on a loopback host: the Mailgun API key and the mails"
                    + " travel unencrypted");
        }
        return Optional.empty();
    }

    /**
     * @param apiUrl {@code MAILGUN_API_URL}: the sending domain's API base, without a trailing slash, e.g.
     *     {@code https://api.eu.mailgun.net/v3/mg.example.com}; https, or http on a loopback host (tests)
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
     * @param plaintextAuthAllowed {@code SMTP_ALLOW_PLAINTEXT_AUTH} (false): whether the password may be sent over
     *     {@code plain}; without it, a {@code plain} relay gets no password (the mailer refuses to send when the
     *     parameter exists)
     */
    public record SmtpSettings(String server, int port, SmtpProtocol protocol, String user, String passwordParameter,
            boolean plaintextAuthAllowed) {
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
        /** No encryption at all: no password unless {@code SMTP_ALLOW_PLAINTEXT_AUTH} is true. */
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
        return new MailgunSettings(httpsUrl("MAILGUN_API_URL", url),
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
        String passwordParameter = parameterName(env, "SMTP_PASSWORD_PARAMETER", DEFAULT_SMTP_PASSWORD_PARAMETER);
        boolean plaintextAuthAllowed = env.bool("SMTP_ALLOW_PLAINTEXT_AUTH", false);
        if (protocol == SmtpProtocol.PLAIN && !plaintextAuthAllowed
                && env.optional("SMTP_PASSWORD_PARAMETER").isPresent()) {
            throw new ConfigurationException("SMTP_PASSWORD_PARAMETER is set but SMTP_PROTOCOL is plain, which would"
                    + " send the password unencrypted: use ssl or starttls, or set SMTP_ALLOW_PLAINTEXT_AUTH=true.");
        }
        return new SmtpSettings(server, port, protocol, user, passwordParameter, plaintextAuthAllowed);
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

    /**
     * An https URL without user info, query or fragment; http only on a loopback host ({@code localhost}, an
     * IPv4 address in 127.0.0.0/8 or {@code [::1]}: tests). A value with an {@code @} is never echoed: it may
     * hold a key.
     */
    private static URI httpsUrl(String name, String value) {
        String shown = value.contains("@") ? "" : ", not '" + value + "'";
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException invalid) {
            uri = null;
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri == null || !List.of("http", "https").contains(scheme) || uri.getHost() == null
                || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigurationException(name + " must be an https URL without user, query or fragment, such as"
                    + " https://api.eu.mailgun.net/v3/mg.example.com" + shown + ".");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw new ConfigurationException(name + " must be an https URL (http only for a loopback host such as"
                    + " 127.0.0.1 or localhost)" + shown + ".");
        }
        return URI.create(value.replaceAll("/+$", ""));
    }

    /** {@code localhost}, an IPv4 address in 127.0.0.0/8 or {@code [::1]}, without asking DNS. */
    private static boolean isLoopback(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.equals("localhost") || lower.equals("[::1]") || lower.equals("[0:0:0:0:0:0:0:1]")) {
            return true;
        }
        String[] octets = lower.split("\\.", -1);
        if (octets.length != 4 || !octets[0].equals("127")) {
            return false;
        }
        for (String octet : octets) {
            if (!octet.matches("[0-9]{1,3}") || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
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
