package dev.ikr.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ikr.cli.rotateself.NewKey;
import java.util.LinkedHashMap;
import java.util.regex.Pattern;

/**
 * The new key as {@code rotate-self} hands it over: the JSON document written to Secrets Manager and SSM and
 * printed by {@code --output json}, and the {@code export} lines of {@code --output env}.
 */
final class KeyDocument {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9+/=._-]+");

    private KeyDocument() {
    }

    /** {@code {"UserName", "AccessKeyId", "SecretAccessKey", "CreateDate"}}, the date in ISO-8601. */
    static String json(NewKey key) {
        var document = new LinkedHashMap<String, String>();
        document.put("UserName", key.user());
        document.put("AccessKeyId", key.accessKeyId());
        document.put("SecretAccessKey", key.pair().secretAccessKey());
        document.put("CreateDate", key.createdAt().toString());
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the key document could not be written as JSON", e);
        }
    }

    /** Two lines a shell can {@code eval}: {@code export AWS_ACCESS_KEY_ID=...} and the secret. */
    static String exports(NewKey key) {
        return "export AWS_ACCESS_KEY_ID=" + shellWord(key.accessKeyId()) + "\n"
                + "export AWS_SECRET_ACCESS_KEY=" + shellWord(key.pair().secretAccessKey()) + "\n";
    }

    private static String shellWord(String value) {
        return SHELL_SAFE.matcher(value).matches() ? value : "'" + value.replace("'", "'\\''") + "'";
    }
}
