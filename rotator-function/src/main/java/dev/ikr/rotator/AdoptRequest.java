package dev.ikr.rotator;

import java.util.Map;

/**
 * The event that asks the rotator to adopt the original project's items: {@code {"action": "adopt", "dryRun": true}}.
 * Any other event (the schedule's) is a rotation run. A malformed adopt event fails: nothing is adopted by guess.
 */
final class AdoptRequest {

    static final String ACTION = "action";
    static final String ADOPT = "adopt";
    static final String DRY_RUN = "dryRun";

    private AdoptRequest() {
    }

    static boolean isAdopt(Map<String, Object> event) {
        return event != null && ADOPT.equals(event.get(ACTION));
    }

    /** Whether to only report; absent means a dry run, so that adopting is always asked for explicitly. */
    static boolean dryRun(Map<String, Object> event) {
        Object value = event.getOrDefault(DRY_RUN, Boolean.TRUE);
        if (value instanceof Boolean flag) {
            return flag;
        }
        throw new IllegalArgumentException("the adopt event's '" + DRY_RUN + "' must be true or false, not '" + value
                + "'");
    }
}
