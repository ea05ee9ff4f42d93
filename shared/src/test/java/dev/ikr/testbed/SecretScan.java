package dev.ikr.testbed;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Applied to every test of the suite (JUnit extension auto-detection, switched on in the parent
 * pom): after each test, no secret that AWS handed out or that was stored as a SecureString during
 * that test may appear in any line the test wrote to standard error (its structured log lines, and
 * anything else) or to standard output (the functions' metrics lines), as
 * {@linkplain CapturedOutput captured} while it ran.
 */
public final class SecretScan implements BeforeEachCallback, AfterEachCallback {

    private static final Pattern LOGGER = Pattern.compile("\"logger\":\"([^\"]*)\"");

    private CapturedOutput.Recording stderr;
    private CapturedOutput.Recording stdout;

    @Override
    public void beforeEach(ExtensionContext context) {
        SecretRecorder.clear();
        stderr = CapturedOutput.stderr().record();
        stdout = CapturedOutput.stdout().record();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stderr.close();
        stdout.close();
        List<String> lines = new ArrayList<>(stderr.lines());
        lines.addAll(stdout.lines());
        for (String secret : SecretRecorder.secrets()) {
            for (String line : lines) {
                if (line.contains(secret)) {
                    throw new AssertionError("a secret handed out during " + context.getDisplayName()
                            + " appears in a log line (" + line.length() + " characters, " + source(line) + ")");
                }
            }
        }
    }

    /** Where the line came from, without a word of its text: the logger of a JSON line. */
    private static String source(String line) {
        Matcher logger = LOGGER.matcher(line);
        return line.startsWith("{") && logger.find() ? "logger " + logger.group(1) : "not a JSON log line";
    }
}
