package dev.ikr.mail;

import dev.ikr.aws.AwsClients;
import dev.ikr.aws.SesMailer;
import dev.ikr.config.MailConfig;
import dev.ikr.port.Mailer;

/** Builds the mailer {@code MAIL_CLIENT} chose, once per cold start. */
public final class Mailers {

    private Mailers() {
    }

    public static Mailer create(MailConfig config, AwsClients clients) {
        return switch (config.client()) {
            case SES -> new SesMailer(clients.ses(), config.from());
        };
    }
}
