package dev.ikr.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ikr.domain.MetricNamespace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmfWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final EmfWriter writer = new EmfWriter(new PrintStream(out, true, StandardCharsets.UTF_8),
            Clock.fixed(NOW, ZoneOffset.UTC));

    private String written() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesOneLine_inTheEmbeddedMetricFormat_withTheClocksTimeInMilliseconds() throws Exception {
        writer.write(new MetricNamespace("IKR"), "FunctionName", "iam-key-creator",
                List.of(Metric.count("Rotated", 2), Metric.milliseconds("RunDuration", 1234)));

        assertThat(written()).endsWith(System.lineSeparator()).hasLineCount(1);
        assertThat(JSON.readTree(written())).isEqualTo(JSON.readTree("""
                {"_aws": {"Timestamp": 1767225600000,
                          "CloudWatchMetrics": [{"Namespace": "IKR",
                                                 "Dimensions": [["FunctionName"]],
                                                 "Metrics": [{"Name": "Rotated", "Unit": "Count"},
                                                             {"Name": "RunDuration", "Unit": "Milliseconds"}]}]},
                 "FunctionName": "iam-key-creator",
                 "Rotated": 2,
                 "RunDuration": 1234}"""));
        assertThat(JSON.readTree(written()).path("_aws").path("Timestamp").isIntegralNumber()).isTrue();
    }

    @Test
    void refusesAMetricNamedTwice_orNamedAsTheDimension() {
        assertThatThrownBy(() -> writer.write(MetricNamespace.DEFAULT, "FunctionName", "f",
                List.of(Metric.count("Failed", 1), Metric.count("Failed", 2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Failed");
        assertThatThrownBy(() -> writer.write(MetricNamespace.DEFAULT, "FunctionName", "f",
                List.of(Metric.count("FunctionName", 1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(written()).isEmpty();
    }

    @Test
    void refusesNoMetric_andMoreThanEmfAllowsInOneDocument() {
        var tooMany = new ArrayList<Metric>();
        for (int i = 0; i <= EmfWriter.MAX_METRICS; i++) {
            tooMany.add(Metric.count("M" + i, i));
        }

        assertThatThrownBy(() -> writer.write(MetricNamespace.DEFAULT, "FunctionName", "f", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.write(MetricNamespace.DEFAULT, "FunctionName", "f", tooMany))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("101");
        writer.write(MetricNamespace.DEFAULT, "FunctionName", "f", tooMany.subList(0, EmfWriter.MAX_METRICS));
        assertThat(written()).hasLineCount(1);
    }

    @Test
    void refusesADimensionValueCloudWatchWouldNot_withoutRepeatingIt() {
        for (String value : List.of("", "with space", "é", "x".repeat(1025), "line\nbreak")) {
            assertThatThrownBy(() -> writer.write(MetricNamespace.DEFAULT, "FunctionName", value,
                    List.of(Metric.count("Failed", 1))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a dimension value is 1 to 1024 printable ASCII characters without spaces");
        }
    }

    @Test
    void metricNames_areCamelCaseWordsOnly() {
        for (String name : List.of("", "rotated", "Needs Attention", "AKIAIOSFODNN7EXAMPLE/secret", "_aws")) {
            assertThatThrownBy(() -> Metric.count(name, 1)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
