package dev.ikr.testbed;

import dev.ikr.log.JsonLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures every structured log line of a test ({@code @RegisterExtension}), still echoing them to
 * standard error, so tests can assert on them and scan them for secrets.
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private Consumer<String> previous;

    @Override
    public void beforeEach(ExtensionContext context) {
        lines.clear();
        previous = JsonLog.redirect(line -> {
            lines.add(line);
            System.err.println(line);
        });
    }

    @Override
    public void afterEach(ExtensionContext context) {
        JsonLog.redirect(previous);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public String all() {
        return String.join("\n", lines);
    }
}
