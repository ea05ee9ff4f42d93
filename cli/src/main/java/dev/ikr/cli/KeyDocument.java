package dev.ikr.cli;

import dev.ikr.aws.KeyDocuments;
import dev.ikr.cli.rotateself.NewKey;
import dev.ikr.domain.IssuedAccessKey;
import java.util.regex.Pattern;

/**
 * The new key as {@code rotate-self} hands it over: the JSON document written to Secrets Manager and SSM and
 * printed by {@code --output json} (the rotator's delivery targets get the same, {@link KeyDocuments}), and the
 * {@code export} lines of {@code --output env}.
 */
final class KeyDocument {

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9+/=._-]+");

    private KeyDocument() {
    }

    /** {@code {"UserName", "AccessKeyId", "SecretAccessKey", "CreateDate"}}, the date in ISO-8601. */
    static String json(NewKey key) {
        return KeyDocuments.keyDocument(key.user(), issued(key));
    }

    /** The key as the shared adapters take it. */
    static IssuedAccessKey issued(NewKey key) {
        return new IssuedAccessKey(key.accessKeyId(), key.pair().secretAccessKey(), key.createdAt());
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
