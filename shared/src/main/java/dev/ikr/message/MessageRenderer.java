package dev.ikr.message;

import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.KeyUse;
import dev.ikr.domain.MailMessage;
import dev.ikr.message.Template.Line;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders a {@link Mail} as plain text and HTML from its template file, {@code /dev/ikr/message/<name>.mail}.
 *
 * <h2>Template language</h2>
 * <ul>
 *   <li>After the blocks below are expanded, the first line is {@code Subject: ...} and the next
 *       line is blank; the rest is the body.
 *   <li>{@code {{name}}} is replaced by the value {@code name}; a missing value is an error naming the
 *       placeholder and the template, never a value.
 *   <li>{@code {{#if name}}} ... {@code {{/if}}} (or {@code {{#if !name}}}), each tag on its own line, keeps
 *       the lines between only if {@code name} is (or is not) present. Blocks nest.
 *   <li>{@code {{#each name}}} ... {@code {{/each}}} repeats the lines between for each element of a list,
 *       {@code {{.}}} being the element.
 *   <li>The body's blocks are written by {@link BodyWriter}: lists, preformatted text, headings, paragraphs.
 * </ul>
 *
 * <p>Values may come from IAM tags, so they are untrusted: everything is HTML-escaped in the HTML part, and a
 * line break inside a value becomes a space (a value can neither start a new line or block nor add a mail
 * header through the subject).
 */
public final class MessageRenderer {

    private static final DateTimeFormatter MAIL_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** The templates IKR sends. */
    public static final List<String> TEMPLATES = List.of("new-key", "key-deleted", "action-needed", "unverified-records",
            "address-changed", "key-delivered", "key-deactivated", "key-in-use", "kms-key-rotated", "kms-key-retired",
            "kms-key-action-needed");

    private static final String SUBJECT = "Subject: ";

    private final Map<String, Template> templates = new ConcurrentHashMap<>();

    /** Reads and parses every template now (SnapStart priming; a broken template fails the snapshot, not a mail). */
    public MessageRenderer preloaded() {
        TEMPLATES.forEach(name -> templates.computeIfAbsent(name, TemplateParser::load));
        return this;
    }

    public MailMessage render(Mail mail) {
        Objects.requireNonNull(mail, "mail");
        Map<String, Object> values = new HashMap<>();
        mail.account().addTo(values);
        String template = switch (mail) {
            case NewKeyMail newKey -> {
                values.put("user", newKey.user());
                values.put("newKeyId", newKey.newKeyId());
                values.put("oldKeyId", newKey.oldKeyId());
                values.put("deleteOn", MAIL_DATE.format(newKey.deleteOn()));
                values.put("instructions", newKey.instructions());
                newKey.replacedKeyId().ifPresent(id -> values.put("replacedKeyId", id));
                newKey.deactivateOn().ifPresent(at -> values.put("deactivateOn", MAIL_DATE.format(at)));
                switch (newKey.key()) {
                    case NewKeyMail.Plain plain -> values.put("secretAccessKey", plain.secretAccessKey());
                    case NewKeyMail.Encrypted encrypted -> {
                        values.put("encryptedAccessKey", encrypted.encryptedAccessKey());
                        values.put("encryptedSecretKey", encrypted.encryptedSecretKey());
                        values.put("secretParameter", encrypted.secretParameter());
                        encrypted.decryptCommand().ifPresent(command -> values.put("decryptCommand", command));
                    }
                }
                yield "new-key";
            }
            case KeyDeliveredMail delivered -> {
                values.put("user", delivered.user());
                values.put("target", delivered.target().label());
                values.put("targetKind", delivered.targetKind());
                values.put("targetName", delivered.target().id());
                values.put("newKeyId", delivered.newKeyId());
                values.put("oldKeyId", delivered.oldKeyId());
                values.put("deleteOn", MAIL_DATE.format(delivered.deleteOn()));
                delivered.deactivateOn().ifPresent(at -> values.put("deactivateOn", MAIL_DATE.format(at)));
                values.put("instructions", delivered.instructions());
                delivered.replacedKeyId().ifPresent(id -> values.put("replacedKeyId", id));
                yield "key-delivered";
            }
            case KeyDeletedMail deleted -> {
                values.put("user", deleted.user());
                values.put("oldKeyId", deleted.oldKeyId());
                deleted.newKeyId().ifPresent(id -> values.put("newKeyId", id));
                deleted.deletedParameter().ifPresent(parameter -> {
                    values.put("parameterDeleted", "yes");
                    values.put("secretParameter", parameter);
                });
                deleted.usedDespite().ifPresent(use -> putUse(values, use));
                yield "key-deleted";
            }
            case KeyDeactivatedMail deactivated -> {
                values.put("user", deactivated.user());
                values.put("oldKeyId", deactivated.oldKeyId());
                deactivated.newKeyId().ifPresent(id -> values.put("newKeyId", id));
                values.put("deleteOn", MAIL_DATE.format(deactivated.deleteOn()));
                values.put("reactivateCommand", deactivated.reactivateCommand());
                deactivated.usedDespite().ifPresent(use -> putUse(values, use));
                yield "key-deactivated";
            }
            case KeyInUseMail inUse -> {
                values.put("user", inUse.user());
                values.put("oldKeyId", inUse.oldKeyId());
                inUse.newKeyId().ifPresent(id -> values.put("newKeyId", id));
                values.put("step", inUse.step());
                putUse(values, inUse.use());
                values.put("postponedTo", MAIL_DATE.format(inUse.postponedTo()));
                values.put("deleteOn", MAIL_DATE.format(inUse.deleteOn()));
                values.put("postponementsLeft", Integer.toString(inUse.postponementsLeft()));
                if (inUse.postponementsLeft() == 0) {
                    values.put("lastPostponement", "yes");
                }
                yield "key-in-use";
            }
            case ActionNeededMail needed -> {
                values.put("user", needed.user());
                values.put("oldKeyId", needed.oldKeyId());
                needed.newKeyId().ifPresent(id -> values.put("newKeyId", id));
                values.put("reason", needed.reason());
                values.put("secretParameter", needed.secretParameter());
                if (needed.keyKept()) {
                    values.put("keyKept", "yes");
                }
                yield "action-needed";
            }
            case AddressChangedMail changed -> {
                values.put("user", changed.user());
                values.put("newAddress", changed.newAddress().value());
                values.put("newKeyId", changed.newKeyId());
                changed.deliveredTo().ifPresent(target -> values.put("target", target.label()));
                yield "address-changed";
            }
            case KmsKeyRotatedMail rotated -> {
                values.put("firstAlias", rotated.aliases().getFirst());
                values.put("aliases", rotated.aliases());
                values.put("keySpec", rotated.keySpec());
                values.put("keyUsage", rotated.keyUsage());
                values.put("oldKeyArn", rotated.oldKeyArn());
                values.put("newKeyArn", rotated.newKeyArn());
                rotated.publicKeyPem().ifPresent(pem -> values.put("publicKey", pem.lines().toList()));
                values.put("retireOn", MAIL_DATE.format(rotated.retireOn()));
                values.put("instructions", rotated.instructions());
                rotated.replacedKeyArn().ifPresent(arn -> values.put("replacedKeyArn", arn));
                yield "kms-key-rotated";
            }
            case KmsKeyRetiredMail retired -> {
                values.put("oldKeyId", retired.oldKeyId());
                values.put("newKeyId", retired.newKeyId());
                values.put("deletionDate", MAIL_DATE.format(retired.deletionDate()));
                values.put("aliases", retired.aliases());
                values.put("aliasList", String.join(", ", retired.aliases()));
                yield "kms-key-retired";
            }
            case KmsKeyActionNeededMail needed -> {
                values.put("alias", needed.alias());
                values.put("aliasList", String.join(", ", needed.aliases()));
                values.put("oldKeyId", needed.oldKeyId());
                needed.newKeyId().ifPresent(id -> values.put("newKeyId", id));
                values.put("reason", needed.reason());
                yield "kms-key-action-needed";
            }
            case UnverifiedRecordsMail unverified -> {
                values.put("foundBy", unverified.foundBy());
                values.put("records", unverified.lines());
                yield "unverified-records";
            }
        };
        return render(template, List.of(mail.to()), values);
    }

    /** Renders any template with loosely typed values: the template language's own tests use it. */
    MailMessage render(String templateName, List<EmailAddress> to, Map<String, Object> values) {
        Objects.requireNonNull(values, "values");
        if (templateName == null) {
            throw new IllegalArgumentException("invalid mail template name");
        }
        List<Line> lines = new ArrayList<>();
        templates.computeIfAbsent(templateName, TemplateParser::load).expand(values, lines::add);
        if (lines.isEmpty() || !lines.get(0).text().startsWith(SUBJECT)
                || (lines.size() > 1 && !lines.get(1).text().isEmpty())) {
            throw new IllegalArgumentException("mail template '" + templateName
                    + "' must start with a 'Subject: ' line followed by a blank line");
        }
        String subject = lines.get(0).text().substring(SUBJECT.length()).strip();
        var body = new BodyWriter(lines.subList(1, lines.size()));
        return new MailMessage(to, subject, body.text(), body.html(subject));
    }

    private static void putUse(Map<String, Object> values, KeyUse use) {
        values.put("usedAt", MAIL_DATE.format(use.at()));
        values.put("usedService", use.service());
        values.put("usedRegion", use.region());
    }

    /** A date as mails (and run summaries) write it: to the minute, in UTC. */
    public static String mailDate(Instant instant) {
        return MAIL_DATE.format(instant);
    }
}
