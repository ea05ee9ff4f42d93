package dev.ikr.testbed;

import dev.ikr.log.JsonLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures every structured log line of a test ({@code @RegisterExtension}), still passing them on
 * (to standard error), so tests can assert on them and scan them for secrets.
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private Consumer<String> previous;

    @Override
    public void beforeEach(ExtensionContext context) {
        lines.clear();
        Consumer<String>[] downstream = new Consumer[1];
        previous = JsonLog.redirect(line -> {
            lines.add(line);
            downstream[0].accept(line);
        });
        downstream[0] = previous;
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
