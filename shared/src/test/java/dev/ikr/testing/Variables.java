package dev.ikr.testing;

import java.util.HashMap;
import java.util.Map;

/** Environment variables for the configuration's tests. */
public final class Variables {

    private Variables() {
    }

    /** A record key's ARN, as {@code RECORD_KMS_KEY_ID} needs it. */
    public static final String RECORD_KEY_ARN =
            "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    /** {@code MAIL_FROM}, {@code RECORD_KMS_KEY_ID} and the given name/value pairs, in a map the test may change. */
    public static Map<String, String> withSender(String... pairs) {
        var env = new HashMap<String, String>();
        env.put("MAIL_FROM", "ikr@example.com");
        env.put("RECORD_KMS_KEY_ID", RECORD_KEY_ARN);
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }
}
