package dev.ikr.aws;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the AWS API calls made through the shared clients, per IAM-style action name ({@code iam:ListAccessKeys})
 * (one per call, whatever the SDK's retries), so every run can report what it cost.
 */
public final class AwsCallCounter implements ExecutionInterceptor {

    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        calls.computeIfAbsent(service.toLowerCase(Locale.ROOT) + ":" + operation, key -> new LongAdder()).increment();
    }

    /**
     * Counts one call made without an SDK client (the Organizations adapter signs its own requests), named as the
     * interceptor names them ({@code organizations:ListAccounts}).
     */
    public void count(String action) {
        calls.computeIfAbsent(action, key -> new LongAdder()).increment();
    }

    /** The calls so far, sorted by name. */
    public Map<String, Long> snapshot() {
        var copy = new TreeMap<String, Long>();
        calls.forEach((name, count) -> copy.put(name, count.sum()));
        return copy;
    }

    /** The calls made since {@code earlier} was taken. */
    public Map<String, Long> since(Map<String, Long> earlier) {
        var difference = new TreeMap<String, Long>();
        snapshot().forEach((name, count) -> {
            long made = count - earlier.getOrDefault(name, 0L);
            if (made > 0) {
                difference.put(name, made);
            }
        });
        return difference;
    }
}
