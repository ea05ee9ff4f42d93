package dev.ikr.domain;

/** A user's IKR tags cannot be used; the message says which tag and why, and never holds a secret. */
public final class MisconfiguredUserException extends RuntimeException {

    public MisconfiguredUserException(String reason) {
        super(reason, null, false, false);
    }
}
