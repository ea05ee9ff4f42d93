package dev.ikr.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ikr.domain.MetricNamespace;
import java.io.PrintStream;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Writes CloudWatch metrics in the embedded metric format (EMF): one JSON object on one line, which CloudWatch Logs
 * turns into metrics when it reads the function's log stream. Each document has one dimension, and every metric
 * it names is a member of the root object:
 *
 * <pre>{"_aws":{"Timestamp":1767225600000,"CloudWatchMetrics":[{"Namespace":"IKR","Dimensions":[["FunctionName"]],
 *   "Metrics":[{"Name":"Rotated","Unit":"Count"}, ...]}]},"FunctionName":"iam-key-creator","Rotated":1, ...}</pre>
 *
 * <p>The line is written with one {@code println}, so it never interleaves with a log line of another thread.
 */
public final class EmfWriter {

    /** EMF's limit of metrics in one directive. */
    static final int MAX_METRICS = 100;
    /** CloudWatch's limit on a dimension value. */
    private static final int MAX_DIMENSION_VALUE = 1024;

    private final Supplier<PrintStream> out;
    private final Clock clock;

    /** Writes to {@code out}; the documents' {@code Timestamp} is {@code clock}'s time of writing. */
    public EmfWriter(PrintStream out, Clock clock) {
        this(() -> out, clock);
    }

    /** Writes to the stream {@code out} gives at each write ({@code System.out} as it is then, say). */
    EmfWriter(Supplier<PrintStream> out, Clock clock) {
        this.out = Objects.requireNonNull(out, "out");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Writes one document.
     *
     * @param dimension the name of the one dimension, a CamelCase word such as {@code FunctionName}
     * @param dimensionValue its value: printable ASCII without spaces, at most 1024 characters
     * @throws IllegalArgumentException when the metrics are empty, more than 100, or repeat a name or the dimension's
     */
    public void write(MetricNamespace namespace, String dimension, String dimensionValue, List<Metric> metrics) {
        Objects.requireNonNull(namespace, "namespace");
        Metric.checkName(dimension);
        if (dimensionValue == null || !dimensionValue.matches("[\\x21-\\x7e]{1," + MAX_DIMENSION_VALUE + "}")) {
            throw new IllegalArgumentException("a dimension value is 1 to " + MAX_DIMENSION_VALUE
                    + " printable ASCII characters without spaces");
        }
        if (metrics.isEmpty() || metrics.size() > MAX_METRICS) {
            throw new IllegalArgumentException("a document holds 1 to " + MAX_METRICS + " metrics, not "
                    + metrics.size());
        }
        Set<String> names = new HashSet<>(List.of(dimension));
        for (Metric metric : metrics) {
            if (!names.add(metric.name())) {
                throw new IllegalArgumentException("the metric name " + metric.name() + " is used twice");
            }
        }

        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode root = json.objectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace.value());
        directive.putArray("Dimensions").addArray().add(dimension);
        ArrayNode definitions = directive.putArray("Metrics");
        root.put(dimension, dimensionValue);
        for (Metric metric : metrics) {
            definitions.addObject().put("Name", metric.name()).put("Unit", metric.unit().cloudWatchName());
            root.put(metric.name(), metric.value());
        }
        PrintStream stream = out.get();
        stream.println(root.toString());
        stream.flush();
    }
}
