package dev.ikr.testbed;

import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.core.SdkRequest;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Makes chosen AWS operations fail inside the real SDK pipeline, before the request leaves, as a
 * network or service failure would: {@code new AwsClients(List.of(faults))}, then {@code faults.fail("DeleteAccessKey")}.
 */
public final class FaultInjector implements ExecutionInterceptor {

    private final Map<String, Predicate<SdkRequest>> failing = new ConcurrentHashMap<>();

    /** Every call of {@code operation} fails. */
    public FaultInjector fail(String operation) {
        return fail(operation, request -> true);
    }

    /** Calls of {@code operation} whose request matches fail, e.g. one user's {@code DeleteAccessKey}. */
    public FaultInjector fail(String operation, Predicate<SdkRequest> when) {
        failing.put(operation, when);
        return this;
    }

    public void heal() {
        failing.clear();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Predicate<SdkRequest> when = failing.get(operation);
        if (when != null && when.test(context.request())) {
            throw SdkClientException.create("injected fault: " + operation + " is unavailable");
        }
    }
}
