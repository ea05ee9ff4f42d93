package dev.ikr.testbed;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * Applied to every test of the suite (JUnit extension auto-detection, switched on in the parent
 * pom): what a test writes to standard error (the JSON log lines of the code under test, above all)
 * and to standard output (the functions' metrics lines) is {@linkplain CapturedOutput captured} and
 * dropped when the test passes, and printed under the test's name when it fails, so a green build
 * prints its summary only. The same holds for a test class whose set-up or tear-down fails. Secrets
 * seen during the test are masked in what it prints.
 */
public final class TestLogs implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    private static final Namespace NAMESPACE = Namespace.create(TestLogs.class);
    private static final String MASK = "<secret>";

    private final Supplier<PrintStream> console;

    /** Prints failed tests' lines to the standard error the JVM had before the capture. */
    public TestLogs() {
        this(() -> CapturedOutput.stderr().real());
    }

    TestLogs(Supplier<PrintStream> console) {
        this.console = console;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        start(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        finish(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        finish(context);
    }

    private static void start(ExtensionContext context) {
        context.getStore(NAMESPACE).put(context.getUniqueId(), new Recordings(CapturedOutput.stderr().record(),
                CapturedOutput.stdout().record()));
    }

    private void finish(ExtensionContext context) {
        var recordings = context.getStore(NAMESPACE).remove(context.getUniqueId(), Recordings.class);
        if (recordings == null) {
            return;
        }
        recordings.stderr().close();
        recordings.stdout().close();
        if (context.getExecutionException().isPresent()) {
            print(name(context), recordings.stderr().lines(), recordings.stdout().lines(), SecretRecorder.secrets());
        }
    }

    private record Recordings(CapturedOutput.Recording stderr, CapturedOutput.Recording stdout) {
    }

    private static String name(ExtensionContext context) {
        return context.getTestMethod()
                .map(method -> context.getRequiredTestClass().getSimpleName() + "." + method.getName()
                        + (context.getDisplayName().startsWith(method.getName()) ? "" : " " + context.getDisplayName()))
                .orElseGet(() -> context.getTestClass().map(Class::getName).orElse(context.getDisplayName()));
    }

    private void print(String name, List<String> stderr, List<String> stdout, Set<String> secrets) {
        var text = new StringBuilder();
        text.append("---- ").append(name).append(" failed; its standard error (").append(stderr.size())
                .append(" line(s)):").append(System.lineSeparator());
        append(text, stderr, secrets);
        if (!stdout.isEmpty()) {
            text.append("---- its standard output (").append(stdout.size()).append(" line(s)):")
                    .append(System.lineSeparator());
            append(text, stdout, secrets);
        }
        text.append("---- end of ").append(name);
        console.get().println(text);
    }

    private static void append(StringBuilder text, List<String> lines, Set<String> secrets) {
        for (String line : lines) {
            for (String secret : secrets) {
                line = line.replace(secret, MASK);
            }
            text.append(line).append(System.lineSeparator());
        }
    }
}
