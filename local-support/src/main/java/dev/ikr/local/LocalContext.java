package dev.ikr.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The Lambda {@link Context} for running a handler outside Lambda ({@code scripts/ikr invoke}, tests):
 * a function ARN in the given account, and a deadline measured on the given clock.
 */
public final class LocalContext implements Context {

    private final String functionName;
    private final String functionArn;
    private final String requestId = UUID.randomUUID().toString();
    private final Clock clock;
    private final Instant deadline;

    public LocalContext(String functionName, String region, String accountId, Duration timeout, Clock clock) {
        this.functionName = functionName;
        this.functionArn = "arn:aws:lambda:" + region + ":" + accountId + ":function:" + functionName;
        this.clock = clock;
        this.deadline = clock.instant().plus(timeout);
    }

    /** A context in {@code accountId} with fifteen minutes, Lambda's longest timeout. */
    public static LocalContext forAccount(String functionName, String region, String accountId) {
        return new LocalContext(functionName, region, accountId, Duration.ofMinutes(15), Clock.systemUTC());
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return functionArn;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return 512;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.err.println(message);
            }

            @Override
            public void log(byte[] message) {
                log(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
