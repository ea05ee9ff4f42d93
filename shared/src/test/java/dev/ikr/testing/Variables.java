package dev.ikr.testing;

import java.util.HashMap;
import java.util.Map;

/** Environment variables for the configuration's tests. */
public final class Variables {

    private Variables() {
    }

    /** {@code MAIL_FROM} and the given name/value pairs, in a map the test may change. */
    public static Map<String, String> withSender(String... pairs) {
        var env = new HashMap<String, String>();
        env.put("MAIL_FROM", "ikr@example.com");
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }
}
