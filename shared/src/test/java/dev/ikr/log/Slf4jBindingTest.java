package dev.ikr.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ikr.testbed.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The AWS SDK logs through SLF4J: its warnings and errors become IKR's JSON lines, the rest is dropped. */
class Slf4jBindingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    private final Logger sdk = LoggerFactory.getLogger("software.amazon.awssdk.core.internal.Example");

    @Test
    void slf4jIsBoundToIkrsJsonLines_notToItsNoOpFallback() {
        assertThat(LoggerFactory.getILoggerFactory().getClass().getName()).startsWith("org.slf4j.impl.StaticLoggerBinder");
        assertThat(sdk.isWarnEnabled()).isTrue();
        assertThat(sdk.isInfoEnabled()).isFalse();
    }

    @Test
    void aWarningBecomesOneJsonLine_formattedAsSlf4jDoes() throws Exception {
        sdk.warn("retrying {} after {} ms", "ListAccessKeys", 200);

        assertThat(logs.lines()).singleElement().satisfies(line -> {
            JsonNode json = JSON.readTree(line);
            assertThat(json.path("level").asText()).isEqualTo("WARN");
            assertThat(json.path("logger").asText()).isEqualTo("software.amazon.awssdk.core.internal.Example");
            assertThat(json.path("message").asText()).isEqualTo("retrying ListAccessKeys after 200 ms");
        });
    }

    @Test
    void anErrorNamesItsExceptionByClassAndMessage() throws Exception {
        sdk.error("unable to close the connection", new IllegalStateException("socket reset"));

        JsonNode json = JSON.readTree(logs.lines().getFirst());
        assertThat(json.path("level").asText()).isEqualTo("ERROR");
        assertThat(json.path("exception").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(json.path("exceptionMessage").asText()).isEqualTo("socket reset");
    }

    @Test
    void debugAndInfoAreDropped() {
        sdk.debug("request headers {}", "x");
        sdk.info("client built");
        sdk.trace("bytes");

        assertThat(logs.lines()).isEmpty();
    }
}
