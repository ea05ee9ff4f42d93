package dev.ikr.wiring;

import dev.ikr.aws.AwsClients;
import dev.ikr.aws.SesMailer;
import dev.ikr.aws.SsmSecretParameters;
import dev.ikr.config.MailConfig;
import dev.ikr.mail.MailgunMailer;
import dev.ikr.mail.SmtpMailer;
import dev.ikr.port.Mailer;

/** Builds the mailer {@code MAIL_CLIENT} chose, once per cold start. */
public final class Mailers {

    private Mailers() {
    }

    public static Mailer create(MailConfig config, AwsClients clients) {
        return switch (config.client()) {
            case SES -> new SesMailer(clients.ses(), config.from());
            case MAILGUN -> new MailgunMailer(config.mailgun().orElseThrow(), config.from(), config.timeout(),
                    new SsmSecretParameters(clients.ssm()));
            case SMTP -> new SmtpMailer(config.smtp().orElseThrow(), config.from(), config.timeout(),
                    new SsmSecretParameters(clients.ssm()));
        };
    }
}
