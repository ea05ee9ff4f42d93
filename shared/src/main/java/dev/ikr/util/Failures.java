package dev.ikr.util;

/** How IKR names a failure in outcomes and logs. */
public final class Failures {

    private Failures() {
    }

    /** The exception's class and message: SDK and IKR messages name resources, never secrets. */
    public static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
