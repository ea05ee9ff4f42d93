package dev.ikr.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Structured logs: one JSON object per line on standard error (CloudWatch in Lambda, the terminal
 * with {@code scripts/ikr}, whose standard output stays for results). Callers pass only ids, names
 * and reasons, never a secret.
 *
 * <p>Each line goes to {@code System.err} as it is when the line is written, in one {@code println},
 * so lines from parallel threads never interleave.
 */
public final class JsonLog {

    public enum Level { INFO, WARN, ERROR }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String logger;
    private final Clock clock;

    private JsonLog(String logger, Clock clock) {
        this.logger = logger;
        this.clock = clock;
    }

    public static JsonLog forClass(Class<?> type) {
        return named(type.getSimpleName());
    }

    /** A log named as a library names its loggers (the AWS SDK's, through SLF4J). */
    public static JsonLog named(String name) {
        return new JsonLog(name, Clock.systemUTC());
    }

    public void info(String message, Map<String, ?> fields) {
        write(Level.INFO, message, fields);
    }

    public void warn(String message, Map<String, ?> fields) {
        write(Level.WARN, message, fields);
    }

    public void error(String message, Map<String, ?> fields) {
        write(Level.ERROR, message, fields);
    }

    public void write(Level level, String message, Map<String, ?> fields) {
        var line = new LinkedHashMap<String, Object>();
        line.put("timestamp", clock.instant().toString());
        line.put("level", level.name());
        line.put("logger", logger);
        line.put("message", message);
        line.putAll(fields);
        String json;
        try {
            json = JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            json = "{\"level\":\"ERROR\",\"message\":\"unserialisable log line\",\"logger\":\"" + logger + "\"}";
        }
        System.err.println(json);
    }
}
