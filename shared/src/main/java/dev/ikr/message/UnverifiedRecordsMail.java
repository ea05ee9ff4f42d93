package dev.ikr.message;

import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.UnverifiedRecord;
import java.util.List;
import java.util.Objects;

/**
 * The mail to {@code ADMIN_EMAIL} that lists the table items IKR refused to act on because their seal does not
 * prove IKR wrote them: someone who can write the table wrote or changed them, or they are the original project's.
 *
 * @param foundBy which function found them ({@code the rotator} or {@code the destructor})
 */
public record UnverifiedRecordsMail(EmailAddress to, MailAccount account, String foundBy,
        List<UnverifiedRecord> records) implements Mail {

    public UnverifiedRecordsMail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(account, "account");
        NewKeyMail.requireText(foundBy, "foundBy");
        records = List.copyOf(records);
        if (records.isEmpty()) {
            throw new IllegalArgumentException("an unverified-records mail lists at least one record");
        }
    }

    /** One line per item: the user and key it claims, and why it is not trusted. */
    List<String> lines() {
        return records.stream().map(record -> "user " + record.user() + ", key " + record.oldKeyId() + ": "
                + record.reason()).toList();
    }
}
