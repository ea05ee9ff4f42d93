package dev.ikr.port;

import dev.ikr.mail.MailMessage;

/** Sends a message; throws when the message was not accepted for delivery. */
public interface Mailer {

    void send(MailMessage message);
}
