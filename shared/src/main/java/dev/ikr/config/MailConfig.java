package dev.ikr.config;

import dev.ikr.domain.EmailAddress;
import java.util.Map;

/**
 * How both functions send mail: {@code MAIL_CLIENT} (ses) and {@code MAIL_FROM}.
 */
public record MailConfig(MailClient client, EmailAddress from) {

    /** @throws ConfigurationException naming the first variable that is missing or wrong */
    public static MailConfig from(Map<String, String> variables) {
        var env = new Environment(variables);
        MailClient client = env.oneOf("MAIL_CLIENT", MailClient.class, MailClient.SES);
        return new MailConfig(client, env.email("MAIL_FROM"));
    }
}
