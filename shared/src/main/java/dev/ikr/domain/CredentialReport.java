package dev.ikr.domain;

import java.util.Objects;

/** What asking IAM for the credential report gave: the keys of every user, or why there is no report to use. */
public sealed interface CredentialReport {

    /** The report, parsed. */
    record Ready(KeyReport keys) implements CredentialReport {

        public Ready {
            Objects.requireNonNull(keys, "keys");
        }
    }

    /**
     * No usable report: no permission, not ready in time, or a format IKR cannot read. The run then lists the keys
     * of every tagged user.
     *
     * @param reason one sentence for the summary and the log (no secret: the report holds none)
     */
    record Unavailable(String reason) implements CredentialReport {

        public Unavailable {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("an unavailable credential report needs a reason");
            }
        }
    }
}
