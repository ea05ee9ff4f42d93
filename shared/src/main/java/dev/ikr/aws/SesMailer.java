package dev.ikr.aws;

import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.MailMessage;
import dev.ikr.port.Mailer;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.services.ses.SesClient;

/** Sends through Amazon SES ({@code SendEmail}), text and HTML in one message. */
public final class SesMailer implements Mailer {

    private final SesClient ses;
    private final EmailAddress from;

    public SesMailer(SesClient ses, EmailAddress from) {
        this.ses = ses;
        this.from = from;
    }

    @Override
    public void send(MailMessage message) {
        String charset = StandardCharsets.UTF_8.name();
        ses.sendEmail(request -> request
                .source(from.value())
                .destination(destination -> destination.toAddresses(
                        message.to().stream().map(EmailAddress::value).toList()))
                .message(content -> content
                        .subject(subject -> subject.charset(charset).data(message.subject()))
                        .body(body -> body
                                .text(text -> text.charset(charset).data(message.text()))
                                .html(html -> html.charset(charset).data(message.html())))));
    }
}
