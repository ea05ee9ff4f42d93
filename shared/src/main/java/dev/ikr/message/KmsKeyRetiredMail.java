package dev.ikr.message;

import dev.ikr.domain.EmailAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The mail that tells a KMS key's owner its old key was disabled and scheduled for deletion.
 *
 * @param aliases the aliases that moved away from it at its rotation
 * @param deletionDate when KMS deletes it: until then {@code CancelKeyDeletion} brings it back
 */
public record KmsKeyRetiredMail(EmailAddress to, MailAccount account, List<String> aliases, String oldKeyId,
        String newKeyId, Instant deletionDate) implements Mail {

    public KmsKeyRetiredMail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(account, "account");
        aliases = List.copyOf(aliases);
        NewKeyMail.requireText(oldKeyId, "oldKeyId");
        NewKeyMail.requireText(newKeyId, "newKeyId");
        Objects.requireNonNull(deletionDate, "deletionDate");
    }
}
