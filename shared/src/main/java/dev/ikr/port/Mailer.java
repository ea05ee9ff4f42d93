package dev.ikr.port;

import dev.ikr.domain.MailMessage;

/** Sends a message; throws when the message was not accepted for delivery. */
public interface Mailer {

    void send(MailMessage message);
}
