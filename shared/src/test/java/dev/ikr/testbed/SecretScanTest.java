package dev.ikr.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ikr.log.JsonLog;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The suite-wide secret scan fails a test whose standard error holds a secret, and passes one whose logs do not. */
class SecretScanTest {

    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final JsonLog LOG = JsonLog.forClass(SecretScanTest.class);

    @AfterEach
    void forgetTheSecret() {
        SecretRecorder.clear(); // so the scan around this test itself does not trip on the planted leak
    }

    @Test
    void failsATest_whoseLogsHoldASecretSeenDuringIt_withoutRepeatingTheSecret() {
        var scan = new SecretScan();
        scan.beforeEach(context());
        SecretRecorder.record(SECRET);
        LOG.info("oops", Map.of("leaked", SECRET));

        assertThatThrownBy(() -> scan.afterEach(context()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("appears in a log line")
                .satisfies(error -> assertThat(error.getMessage()).doesNotContain(SECRET));
    }

    @Test
    void failsATest_thatPrintedASecretToStandardError_outsideAnyLogLine() {
        var scan = new SecretScan();
        scan.beforeEach(context());
        SecretRecorder.record(SECRET);
        System.err.println("java.lang.IllegalStateException: cannot encrypt " + SECRET);

        assertThatThrownBy(() -> scan.afterEach(context()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("not a JSON log line")
                .satisfies(error -> assertThat(error.getMessage()).doesNotContain(SECRET));
    }

    @Test
    void passesATest_whoseLogsHoldOnlyIds() {
        var scan = new SecretScan();
        scan.beforeEach(context());
        SecretRecorder.record(SECRET);
        LOG.info("fine", Map.of("keyId", "AKIAEXAMPLE"));

        assertThatCode(() -> scan.afterEach(context())).doesNotThrowAnyException();
    }

    private static ExtensionContext context() {
        return (ExtensionContext) Proxy.newProxyInstance(SecretScanTest.class.getClassLoader(),
                new Class<?>[] {ExtensionContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getDisplayName" -> "planted leak";
                    default -> null;
                });
    }
}
