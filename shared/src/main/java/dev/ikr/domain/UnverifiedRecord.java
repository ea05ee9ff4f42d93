package dev.ikr.domain;

import java.util.Objects;

/**
 * A table item IKR does not act on: its seal is missing or does not prove that IKR wrote it as it reads (written
 * by the original project, by hand, or changed since).
 *
 * @param claimed the item as it reads: what it claims, nothing of it is trusted
 * @param sealed whether it carries a seal at all: an unsealed item may be the original project's, a sealed one that
 *     does not verify was changed after IKR wrote it
 * @param reason why it is not trusted
 */
public record UnverifiedRecord(RotationRecord claimed, boolean sealed, String reason) {

    public UnverifiedRecord {
        Objects.requireNonNull(claimed, "claimed");
        Objects.requireNonNull(reason, "reason");
    }

    public String user() {
        return claimed.user();
    }

    public String oldKeyId() {
        return claimed.oldKeyId();
    }
}
