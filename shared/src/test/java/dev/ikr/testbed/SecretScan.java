package dev.ikr.testbed;

import dev.ikr.log.JsonLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Applied to every test of the suite (JUnit extension auto-detection, switched on in the parent
 * pom): after each test, no secret that AWS handed out or that was stored as a SecureString during
 * that test may appear in any structured log line the test produced.
 */
public final class SecretScan implements BeforeEachCallback, AfterEachCallback {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private Consumer<String> previous;

    @Override
    public void beforeEach(ExtensionContext context) {
        SecretRecorder.clear();
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
        for (String secret : SecretRecorder.secrets()) {
            for (String line : lines) {
                if (line.contains(secret)) {
                    throw new AssertionError("a secret handed out during " + context.getDisplayName()
                            + " appears in a log line (" + line.length() + " characters, logger "
                            + line.replaceAll(".*\"logger\":\"([^\"]*)\".*", "$1") + ")");
                }
            }
        }
    }
}
