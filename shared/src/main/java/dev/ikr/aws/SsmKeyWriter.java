package dev.ikr.aws;

import dev.ikr.domain.DeliveryException;
import dev.ikr.domain.DeliveryTarget;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Writes a key document to an SSM parameter, as a SecureString, overwritten: the rotator's {@code ssm:} target and
 * {@code rotate-self --deliver-to ssm:}.
 */
public final class SsmKeyWriter {

    private final SsmClient ssm;
    private final Optional<String> kmsKeyId;

    /** @param kmsKeyId the customer managed key of the SecureString; empty: the AWS managed {@code aws/ssm} key */
    public SsmKeyWriter(SsmClient ssm, Optional<String> kmsKeyId) {
        this.ssm = ssm;
        this.kmsKeyId = kmsKeyId;
    }

    /** @throws DeliveryException when the parameter was not written, or may have been */
    public void write(DeliveryTarget.Parameter target, String document) {
        try {
            ssm.putParameter(request -> request.name(target.name()).type(ParameterType.SECURE_STRING)
                    .keyId(kmsKeyId.orElse(null)).overwrite(true).value(document));
        } catch (AwsServiceException refused) {
            if (refused.statusCode() < 500) {
                throw DeliveryException.notWritten("SSM refused " + target.name() + ": " + refused.getMessage(),
                        refused);
            }
            throw DeliveryException.perhapsWritten("writing " + target.name() + " failed: " + refused.getMessage(),
                    refused);
        } catch (SdkException unsure) {
            throw DeliveryException.perhapsWritten("writing " + target.name() + " failed: " + unsure.getMessage(),
                    unsure);
        }
    }
}
