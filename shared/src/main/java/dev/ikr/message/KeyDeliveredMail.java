package dev.ikr.message;

import dev.ikr.domain.DeliveryTarget;
import dev.ikr.domain.EmailAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The mail that tells a key's owner where its new key was delivered ({@code IKR:DELIVER_TO}): the target, the key's
 * id and the old key's deletion date. It holds no secret and no ciphertext: the key itself went to the target.
 *
 * @param replacedKeyId the undelivered key of an interrupted run that this delivery replaces (it was deleted)
 * @param instructions the user's own lines, from the {@code IKR:INSTRUCTION_*} tags, in order
 * @param deactivateOn in two stages: when the old key is deactivated, before its deletion at {@code deleteOn}
 */
public record KeyDeliveredMail(EmailAddress to, MailAccount account, String user, DeliveryTarget target,
        String newKeyId, String oldKeyId, Instant deleteOn, Optional<String> replacedKeyId, List<String> instructions,
        Optional<Instant> deactivateOn) implements Mail {

    public KeyDeliveredMail {
        NewKeyMail.requireNewKey(to, account, user, newKeyId, oldKeyId, deleteOn);
        Objects.requireNonNull(target, "target");
        replacedKeyId = replacedKeyId == null ? Optional.empty() : replacedKeyId;
        instructions = instructions == null ? List.of() : List.copyOf(instructions);
        deactivateOn = deactivateOn == null ? Optional.empty() : deactivateOn;
    }

    /** A single stage: the old key works until it is deleted. */
    public KeyDeliveredMail(EmailAddress to, MailAccount account, String user, DeliveryTarget target,
            String newKeyId, String oldKeyId, Instant deleteOn, Optional<String> replacedKeyId,
            List<String> instructions) {
        this(to, account, user, target, newKeyId, oldKeyId, deleteOn, replacedKeyId, instructions, Optional.empty());
    }

    /** What the target is, in words: "the Secrets Manager secret", "the SSM parameter", "the Lambda function". */
    public String targetKind() {
        return switch (target) {
            case DeliveryTarget.Secret secret -> "the Secrets Manager secret";
            case DeliveryTarget.Parameter parameter -> "the SSM parameter (SecureString)";
            case DeliveryTarget.Function function -> "the Lambda function";
        };
    }
}
