package dev.ikr.testbed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the functions' metrics lines (CloudWatch's embedded metric format) back, as CloudWatch Logs would. */
public final class EmfLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EmfLines() {
    }

    /** The EMF documents among {@code lines}: JSON objects with an {@code _aws} member. */
    public static List<JsonNode> documents(List<String> lines) {
        List<JsonNode> documents = new ArrayList<>();
        for (String line : lines) {
            if (!line.startsWith("{")) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(line);
                if (node.has("_aws")) {
                    documents.add(node);
                }
            } catch (JsonProcessingException notJson) {
                // not a metrics line
            }
        }
        return documents;
    }

    /** Each metric the document declares, by name, with its value in the document, in declaration order. */
    public static Map<String, Long> metrics(JsonNode document) {
        Map<String, Long> metrics = new LinkedHashMap<>();
        for (JsonNode directive : document.path("_aws").path("CloudWatchMetrics")) {
            for (JsonNode definition : directive.path("Metrics")) {
                String name = definition.path("Name").asText();
                metrics.put(name, document.path(name).asLong());
            }
        }
        return metrics;
    }
}
