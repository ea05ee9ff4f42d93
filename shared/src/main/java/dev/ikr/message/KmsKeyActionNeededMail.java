package dev.ikr.message;

import dev.ikr.domain.EmailAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The mail that asks a KMS key's owner to decide about an old key IKR would not or could not retire: it is kept.
 *
 * @param alias the item's alias (its hash key), which a person deletes with the old key id once done
 */
public record KmsKeyActionNeededMail(EmailAddress to, MailAccount account, String alias, List<String> aliases,
        String oldKeyId, Optional<String> newKeyId, String reason) implements Mail {

    public KmsKeyActionNeededMail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(account, "account");
        NewKeyMail.requireText(alias, "alias");
        aliases = List.copyOf(aliases);
        NewKeyMail.requireText(oldKeyId, "oldKeyId");
        newKeyId = newKeyId == null ? Optional.empty() : newKeyId;
        NewKeyMail.requireText(reason, "reason");
    }
}
