package dev.ikr.mail;

/** The mail service did not accept a message. The message names the cause; it never holds a secret or a body. */
public final class MailDeliveryException extends RuntimeException {

    public MailDeliveryException(String message) {
        super(message);
    }

    public MailDeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
