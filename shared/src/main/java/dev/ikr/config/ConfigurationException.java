package dev.ikr.config;

/** The function's environment cannot be used; the message is one sentence naming the variable. */
public final class ConfigurationException extends RuntimeException {

    public ConfigurationException(String message) {
        super(message, null, false, false);
    }
}
