package dev.ikr.aws;

import dev.ikr.domain.DeliveryException;
import dev.ikr.domain.DeliveryTarget;
import dev.ikr.domain.KeyHandover;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Hands a new key to a delivery function: a synchronous {@code Invoke} with the invocation payload
 * ({@link KeyDocuments#invocationPayload}). The key is delivered only when the function returns without error: a
 * function error ({@code FunctionError} set), a status other than 2xx, a refusal or a timeout is a failed delivery.
 * Neither the payload nor the function's answer, which may quote it, ever reaches a message.
 */
final class LambdaKeyInvoker {

    private final LambdaClient lambda;

    LambdaKeyInvoker(LambdaClient lambda) {
        this.lambda = lambda;
    }

    /** @throws DeliveryException when the function did not surely take the key */
    void invoke(DeliveryTarget.Function target, KeyHandover handover) {
        InvokeResponse response;
        try {
            response = lambda.invoke(request -> request.functionName(target.id())
                    .invocationType(InvocationType.REQUEST_RESPONSE)
                    .payload(SdkBytes.fromUtf8String(KeyDocuments.invocationPayload(handover))));
        } catch (AwsServiceException refused) {
            // the error's code and status only: a message about the request could quote its payload
            String reason = "Lambda refused to invoke " + target.id() + " (" + refused.awsErrorDetails().errorCode()
                    + ", HTTP " + refused.statusCode() + ")";
            throw refused.statusCode() < 500 ? DeliveryException.notWritten(reason, null)
                    : DeliveryException.perhapsWritten(reason, null);
        } catch (SdkException unsure) {
            throw DeliveryException.perhapsWritten("invoking " + target.id() + " failed: "
                    + unsure.getClass().getSimpleName() + " (no answer within the delivery timeout, or the"
                    + " connection failed)", null);
        }
        if (response.functionError() != null) {
            throw DeliveryException.perhapsWritten("function " + target.id() + " returned an error ("
                    + response.functionError() + "): it did not confirm the key", null);
        }
        Integer status = response.statusCode();
        if (status == null || status < 200 || status > 299) {
            throw DeliveryException.perhapsWritten("function " + target.id() + " answered with status " + status,
                    null);
        }
    }
}
