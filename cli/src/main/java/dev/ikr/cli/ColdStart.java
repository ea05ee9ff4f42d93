package dev.ikr.cli;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.ikr.destructor.DestructorHandler;
import dev.ikr.local.LocalContext;
import dev.ikr.rotator.RotatorHandler;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

/**
 * Measures a function's cold start: the time from JVM start to the first handler response, in a fresh
 * process whose classpath starts with the function's own shaded jar (run by {@code scripts/ikr bench}).
 * Prints the milliseconds on standard output.
 */
public final class ColdStart {

    private ColdStart() {
    }

    public static void main(String[] args) {
        var context = LocalContext.forAccount("ikr-" + args[0], "us-east-1", "123456789012");
        switch (args[0]) {
            case "rotator" -> new RotatorHandler().handleRequest(Map.of(), context);
            case "destructor" -> {
                var event = new DynamodbEvent();
                event.setRecords(List.of());
                new DestructorHandler().handleRequest(event, context);
            }
            default -> throw new IllegalArgumentException("rotator or destructor, not " + args[0]);
        }
        long startedAt = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println(System.currentTimeMillis() - startedAt);
    }
}
