package dev.ikr.message;

import dev.ikr.domain.EmailAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The mail that tells a KMS key's owner its aliases now point at a new key.
 *
 * @param aliases the aliases moved to the new key
 * @param publicKeyPem the new key's public key, for an asymmetric key: whatever verifies signatures or encrypts with
 *     the old public key must take it
 * @param retireOn when the old key is disabled and scheduled for deletion
 * @param instructions the key's own lines, from its {@code IKR:INSTRUCTION_*} tags
 * @param replacedKeyArn the key an interrupted run created, withdrawn before this rotation
 */
public record KmsKeyRotatedMail(EmailAddress to, MailAccount account, List<String> aliases, String keySpec,
        String keyUsage, String oldKeyArn, String newKeyArn, Optional<String> publicKeyPem, Instant retireOn,
        List<String> instructions, Optional<String> replacedKeyArn) implements Mail {

    public KmsKeyRotatedMail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(account, "account");
        aliases = List.copyOf(aliases);
        if (aliases.isEmpty()) {
            throw new IllegalArgumentException("a mail needs a value for aliases");
        }
        NewKeyMail.requireText(keySpec, "keySpec");
        NewKeyMail.requireText(keyUsage, "keyUsage");
        NewKeyMail.requireText(oldKeyArn, "oldKeyArn");
        NewKeyMail.requireText(newKeyArn, "newKeyArn");
        publicKeyPem = publicKeyPem == null ? Optional.empty() : publicKeyPem;
        Objects.requireNonNull(retireOn, "retireOn");
        instructions = instructions == null ? List.of() : List.copyOf(instructions);
        replacedKeyArn = replacedKeyArn == null ? Optional.empty() : replacedKeyArn;
    }
}
