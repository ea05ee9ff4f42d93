package dev.ikr.domain;

/**
 * Writing a new key to where it goes failed (a delivery target, a credentials file, standard output).
 * {@link #surelyNotWritten()} tells whether the destination surely does not hold it (the new key can then be deleted)
 * or may hold it (a timeout after the request left, a function that received it and then failed). The message names
 * the destination and the cause, never the key's secret.
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
