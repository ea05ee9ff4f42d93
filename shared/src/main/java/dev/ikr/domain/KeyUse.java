package dev.ikr.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * When an access key was last used, as IAM reports it ({@code GetAccessKeyLastUsed}): the time, and the service and
 * region of that request ({@code N/A} when IAM does not know them).
 */
public record KeyUse(Instant at, String service, String region) {

    public KeyUse {
        Objects.requireNonNull(at, "at");
        service = service == null || service.isBlank() ? "N/A" : service;
        region = region == null || region.isBlank() ? "N/A" : region;
    }

    /** As mails and logs write it: {@code 2027-03-01T10:15:00Z by s3 in eu-west-1}. */
    public String describe() {
        return at + " by " + service + " in " + region;
    }
}
