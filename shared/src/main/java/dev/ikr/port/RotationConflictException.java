package dev.ikr.port;

/** Another run already holds a record for this user's key. */
public final class RotationConflictException extends RuntimeException {

    public RotationConflictException(String user, String oldKeyId) {
        super("a rotation of key " + oldKeyId + " of user " + user + " is already recorded", null, false, false);
    }
}
