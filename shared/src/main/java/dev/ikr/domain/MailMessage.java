package dev.ikr.domain;

import java.util.List;
import java.util.Objects;

/**
 * A rendered message, ready for any mailer. Its bodies may hold a secret access key, so
 * {@code toString()} shows only the recipients and the subject.
 */
public record MailMessage(List<EmailAddress> to, String subject, String text, String html) {

    public MailMessage {
        to = List.copyOf(to);
        if (to.isEmpty()) {
            throw new IllegalArgumentException("a message needs a recipient");
        }
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(html, "html");
    }

    @Override
    public String toString() {
        return "MailMessage[to=" + to + ", subject=" + subject + ", body=<redacted>]";
    }
}
