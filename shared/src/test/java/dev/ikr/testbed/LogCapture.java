package dev.ikr.testbed;

import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The structured log lines of a test ({@code @RegisterExtension}), read from the
 * {@linkplain CapturedStderr captured standard error}, so tests can assert on them.
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {

    private CapturedStderr.Recording recording;

    @Override
    public void beforeEach(ExtensionContext context) {
        recording = CapturedStderr.record();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        recording.close();
    }

    /** The JSON log lines written since the test started. */
    public List<String> lines() {
        return recording.lines().stream().filter(line -> line.startsWith("{")).toList();
    }

    public String all() {
        return String.join("\n", lines());
    }
}
