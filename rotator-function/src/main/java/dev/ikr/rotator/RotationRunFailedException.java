package dev.ikr.rotator;

import java.util.Map;

/**
 * Ends a run in which at least one user failed, after every other user was handled, so Lambda's
 * error metric and alarms see it. It carries the run's summary (ids and reasons, no secret).
 */
public final class RotationRunFailedException extends RuntimeException {

    private final transient Map<String, Object> summary;

    public RotationRunFailedException(String message, Map<String, Object> summary) {
        super(message, null, false, false);
        this.summary = Map.copyOf(summary);
    }

    public Map<String, Object> summary() {
        return summary;
    }
}
