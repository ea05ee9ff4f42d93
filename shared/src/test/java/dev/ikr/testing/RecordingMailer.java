package dev.ikr.testing;

import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.MailMessage;
import dev.ikr.port.Mailer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A mailer that keeps what it sends; it can refuse everything, or mail to chosen addresses. */
public final class RecordingMailer implements Mailer {

    private final List<String> journal;
    private final List<MailMessage> sent = new ArrayList<>();
    private final Set<EmailAddress> refused = new HashSet<>();
    private boolean failing;

    public RecordingMailer(List<String> journal) {
        this.journal = journal;
    }

    public synchronized void fail() {
        failing = true;
    }

    public synchronized void refuse(String address) {
        refused.add(EmailAddress.of(address));
    }

    public synchronized void heal() {
        failing = false;
        refused.clear();
    }

    public synchronized List<MailMessage> sent() {
        return List.copyOf(sent);
    }

    public synchronized List<MailMessage> sentTo(String address) {
        return sent.stream().filter(mail -> mail.to().contains(EmailAddress.of(address))).toList();
    }

    @Override
    public synchronized void send(MailMessage message) {
        if (failing || message.to().stream().anyMatch(refused::contains)) {
            throw new IllegalStateException("the mail service rejected the message (test)");
        }
        sent.add(message);
        journal.add("send " + message.to().get(0));
    }
}
