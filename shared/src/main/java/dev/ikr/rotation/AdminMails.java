package dev.ikr.rotation;

import static dev.ikr.util.Failures.describe;

import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.UnverifiedRecord;
import dev.ikr.log.JsonLog;
import dev.ikr.message.MessageRenderer;
import dev.ikr.message.UnverifiedRecordsMail;
import dev.ikr.port.Mailer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reports the table items IKR refused to act on: one ERROR line each, and one mail listing them to
 * {@code ADMIN_EMAIL} when it is set. A failed mail is logged; it never changes what was done.
 */
final class AdminMails {

    private final JsonLog log;
    private final Mailer mailer;
    private final MessageRenderer renderer;
    private final Optional<EmailAddress> admin;

    AdminMails(Class<?> reporter, Mailer mailer, MessageRenderer renderer, Optional<EmailAddress> admin) {
        this.log = JsonLog.forClass(reporter);
        this.mailer = mailer;
        this.renderer = renderer;
        this.admin = admin;
    }

    /** @param foundBy who found them, as the mail's sentence starts: {@code The rotator} */
    void reportUnverified(String foundBy, List<UnverifiedRecord> records, AccountForMails account) {
        if (records.isEmpty()) {
            return;
        }
        records.forEach(record -> log.error("unverified record: not acted on", Map.of("user", record.user(),
                "keyId", record.oldKeyId(), "reason", record.reason())));
        admin.ifPresentOrElse(to -> {
            try {
                mailer.send(renderer.render(new UnverifiedRecordsMail(to, account.get(), foundBy, records)));
            } catch (RuntimeException e) {
                log.error("administrator not told", Map.of("records", records.size(), "reason", describe(e)));
            }
        }, () -> log.warn("administrator not told: ADMIN_EMAIL is not set", Map.of("records", records.size())));
    }
}
