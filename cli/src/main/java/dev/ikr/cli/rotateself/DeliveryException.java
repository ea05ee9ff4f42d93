package dev.ikr.cli.rotateself;

/**
 * Writing the new key failed. {@link #surelyNotWritten()} tells whether the destination surely does not hold it (the
 * new key can then be deleted) or may hold it (a timeout after the request left, say: then both keys must stay).
 */
public final class DeliveryException extends RuntimeException {

    private final boolean surelyNotWritten;

    private DeliveryException(String message, Throwable cause, boolean surelyNotWritten) {
        super(message, cause);
        this.surelyNotWritten = surelyNotWritten;
    }

    /** The destination surely does not hold the new key. */
    public static DeliveryException notWritten(String message, Throwable cause) {
        return new DeliveryException(message, cause, true);
    }

    /** The destination may hold the new key. */
    public static DeliveryException perhapsWritten(String message, Throwable cause) {
        return new DeliveryException(message, cause, false);
    }

    public boolean surelyNotWritten() {
        return surelyNotWritten;
    }
}
