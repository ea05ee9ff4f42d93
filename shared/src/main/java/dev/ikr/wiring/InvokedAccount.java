package dev.ikr.wiring;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.Optional;

/** The account a function runs in: {@code ACCOUNT_ID} if set, else the account in the invoked function's ARN. */
public final class InvokedAccount {

    private InvokedAccount() {
    }

    public static String id(Optional<String> override, Context context) {
        return override.orElseGet(() -> {
            String arn = context == null ? null : context.getInvokedFunctionArn();
            String[] parts = arn == null ? new String[0] : arn.split(":");
            if (parts.length < 5 || parts[4].isBlank()) {
                throw new IllegalStateException(
                        "the account id is unknown: the invocation has no function ARN and ACCOUNT_ID is not set");
            }
            return parts[4];
        });
    }
}
