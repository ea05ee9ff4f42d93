package dev.ikr.rotation;

import static dev.ikr.util.Failures.describe;

import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.IamUser;
import dev.ikr.domain.RotationRecord;
import dev.ikr.log.JsonLog;
import dev.ikr.message.Mail;
import dev.ikr.message.MessageRenderer;
import dev.ikr.port.Mailer;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The destructor's mails to owners: a failed mail never undoes or repeats what was done, it is logged. */
final class OwnerMails {

    /** Logged as the destructor: these lines belong to its records. */
    private static final JsonLog LOG = JsonLog.forClass(Destructor.class);

    private final Mailer mailer;
    private final MessageRenderer renderer;

    OwnerMails(Mailer mailer, MessageRenderer renderer) {
        this.mailer = mailer;
        this.renderer = renderer;
    }

    void send(RotationRecord record, String template, Optional<EmailAddress> owner, Function<EmailAddress, Mail> mail) {
        if (owner.isEmpty()) {
            notTold(record, template, "the user carries no usable " + IamUser.EMAIL_TAG + " tag");
            return;
        }
        try {
            mailer.send(renderer.render(mail.apply(owner.get())));
        } catch (RuntimeException e) {
            notTold(record, template, describe(e));
        }
    }

    private static void notTold(RotationRecord record, String template, String reason) {
        LOG.error("owner not told", Map.of("user", record.user(), "keyId", record.oldKeyId(), "template", template,
                "reason", reason));
    }
}
