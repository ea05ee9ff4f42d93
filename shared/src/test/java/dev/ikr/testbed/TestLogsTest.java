package dev.ikr.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ikr.log.JsonLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The suite-wide log capture keeps a passing test's standard error and output off the console and prints a failing
 * one's.
 */
class TestLogsTest {

    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final JsonLog LOG = JsonLog.forClass(TestLogsTest.class);

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final TestLogs logs = new TestLogs(() -> new PrintStream(console, true, StandardCharsets.UTF_8));

    @AfterEach
    void forgetTheSecret() {
        SecretRecorder.clear(); // the planted secret is not a leak of this test
    }

    @Test
    void printsNothing_forAPassingTest() {
        ExtensionContext passed = context("passingExample", Optional.empty());

        logs.beforeEach(passed);
        LOG.info("decision", Map.of("user", "alice"));
        System.err.println("a library's warning");
        logs.afterEach(passed);

        assertThat(printed()).isEmpty();
    }

    @Test
    void printsEveryLineOfAFailingTest_underItsName_withTheSecretsItSawMasked() {
        ExtensionContext failed = context("failingExample", Optional.of(new AssertionError("expected 2 keys")));

        logs.beforeEach(failed);
        SecretRecorder.record(SECRET);
        LOG.error("decision", Map.of("user", "alice", "reason", "IAM refused"));
        System.err.println("java.lang.IllegalStateException: oops " + SECRET);
        logs.afterEach(failed);

        assertThat(printed())
                .startsWith("---- TestLogsTest.failingExample failed; its standard error (2 line(s)):")
                .contains("\"user\":\"alice\"", "IAM refused", "oops <secret>")
                .doesNotContain(SECRET)
                .endsWith("---- end of TestLogsTest.failingExample" + System.lineSeparator());
    }

    @Test
    void printsTheStandardOutputOfAFailingTest_afterItsStandardError_andNothingOfAPassingOne() {
        ExtensionContext failed = context("failingExample", Optional.of(new AssertionError("no metrics")));
        ExtensionContext passed = context("passingExample", Optional.empty());

        logs.beforeEach(passed);
        System.out.println("{\"_aws\":{},\"Rotated\":1}");
        logs.afterEach(passed);
        assertThat(printed()).isEmpty();

        logs.beforeEach(failed);
        SecretRecorder.record(SECRET);
        LOG.info("decision", Map.of("user", "alice"));
        System.out.println("{\"_aws\":{},\"Rotated\":2} " + SECRET);
        logs.afterEach(failed);

        assertThat(printed())
                .startsWith("---- TestLogsTest.failingExample failed; its standard error (1 line(s)):")
                .contains("---- its standard output (1 line(s)):" + System.lineSeparator()
                        + "{\"_aws\":{},\"Rotated\":2} <secret>")
                .doesNotContain(SECRET, "\"Rotated\":1");
    }

    @Test
    void printsOnlyTheLinesWrittenDuringTheFailingTest() {
        ExtensionContext failed = context("failingExample", Optional.of(new AssertionError("no mail")));

        LOG.info("before", Map.of());
        logs.beforeEach(failed);
        LOG.info("during", Map.of());
        logs.afterEach(failed);
        LOG.info("after", Map.of());

        assertThat(printed()).contains("\"message\":\"during\"").doesNotContain("before", "\"after\"");
    }

    private String printed() {
        return console.toString(StandardCharsets.UTF_8);
    }

    private static ExtensionContext context(String method, Optional<Throwable> failure) {
        Method testMethod = example(method);
        Map<Object, Object> stored = new HashMap<>();
        ExtensionContext.Store store = (ExtensionContext.Store) Proxy.newProxyInstance(
                TestLogsTest.class.getClassLoader(), new Class<?>[] {ExtensionContext.Store.class},
                (proxy, called, args) -> switch (called.getName()) {
                    case "put" -> stored.put(args[0], args[1]);
                    case "remove" -> stored.remove(args[0]);
                    default -> throw new UnsupportedOperationException(called.getName());
                });
        return (ExtensionContext) Proxy.newProxyInstance(TestLogsTest.class.getClassLoader(),
                new Class<?>[] {ExtensionContext.class}, (proxy, called, args) -> switch (called.getName()) {
                    case "getUniqueId" -> "[method:" + method + "()]";
                    case "getDisplayName" -> method + "()";
                    case "getStore" -> store;
                    case "getExecutionException" -> failure;
                    case "getTestMethod" -> Optional.of(testMethod);
                    case "getRequiredTestClass" -> TestLogsTest.class;
                    case "getTestClass" -> Optional.of(TestLogsTest.class);
                    default -> throw new UnsupportedOperationException(called.getName());
                });
    }

    private static Method example(String name) {
        try {
            return TestLogsTest.class.getDeclaredMethod(name);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unused")
    private void passingExample() {
    }

    @SuppressWarnings("unused")
    private void failingExample() {
    }
}
