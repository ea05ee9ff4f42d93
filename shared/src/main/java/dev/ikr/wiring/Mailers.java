package dev.ikr.wiring;

import dev.ikr.aws.AwsClients;
import dev.ikr.aws.SesMailer;
import dev.ikr.aws.SsmSecretParameters;
import dev.ikr.config.MailConfig;
import dev.ikr.log.JsonLog;
import dev.ikr.mail.MailgunMailer;
import dev.ikr.mail.SmtpMailer;
import dev.ikr.port.Mailer;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the mailer {@code MAIL_CLIENT} chose, once per cold start, and says so in a WARN line when the
 * configuration lets anything travel unencrypted.
 */
public final class Mailers {

    private static final JsonLog LOG = JsonLog.forClass(Mailers.class);

    private Mailers() {
    }

    public static Mailer create(MailConfig config, AwsClients clients) {
        config.plaintextWarning().ifPresent(warning -> LOG.warn(warning,
                Map.of("mailClient", config.client().name().toLowerCase(Locale.ROOT))));
        return switch (config.client()) {
            case SES -> new SesMailer(clients.ses(), config.from());
            case MAILGUN -> new MailgunMailer(config.mailgun().orElseThrow(), config.from(), config.timeout(),
                    new SsmSecretParameters(clients.ssm()));
            case SMTP -> new SmtpMailer(config.smtp().orElseThrow(), config.from(), config.timeout(),
                    new SsmSecretParameters(clients.ssm()));
        };
    }
}
