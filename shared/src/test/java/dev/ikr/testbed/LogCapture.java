package dev.ikr.testbed;

import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The structured log lines of a test ({@code @RegisterExtension}), read from the
 * {@linkplain CapturedOutput captured standard error}, and the lines it wrote to standard output (the
 * functions' metrics), so tests can assert on them.
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {

    private CapturedOutput.Recording recording;
    private CapturedOutput.Recording stdout;

    @Override
    public void beforeEach(ExtensionContext context) {
        recording = CapturedOutput.stderr().record();
        stdout = CapturedOutput.stdout().record();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        recording.close();
        stdout.close();
    }

    /** The JSON log lines written since the test started. */
    public List<String> lines() {
        return recording.lines().stream().filter(line -> line.startsWith("{")).toList();
    }

    public String all() {
        return String.join("\n", lines());
    }

    /** Every line written to standard output since the test started. */
    public List<String> standardOutput() {
        return stdout.lines();
    }
}
