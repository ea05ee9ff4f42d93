package dev.ikr.aws;

import dev.ikr.domain.DeliveryTarget;
import dev.ikr.domain.KeyHandover;
import dev.ikr.port.KeyTargets;
import dev.ikr.util.Lazy;
import java.util.Optional;
import java.util.UUID;

/**
 * The rotator's delivery targets in AWS: Secrets Manager secrets, SSM parameters and Lambda functions. Each client is
 * built on first use, so a deployment without targets never builds one.
 */
public final class AwsKeyTargets implements KeyTargets {

    static final String SECRET_DESCRIPTION = "An IAM user's access key, delivered by IKR's rotator";

    private final Lazy<SecretsManagerKeyWriter> secrets;
    private final Lazy<SsmKeyWriter> parameters;
    private final Lazy<LambdaKeyInvoker> functions;

    /** @param secretKmsKeyId {@code SECRET_KMS_KEY_ID}: the customer managed key of the SecureStrings, if any */
    public AwsKeyTargets(AwsClients clients, Optional<String> secretKmsKeyId) {
        this.secrets = Lazy.of(() -> new SecretsManagerKeyWriter(clients.secretsManager(),
                () -> UUID.randomUUID().toString(), SECRET_DESCRIPTION));
        this.parameters = Lazy.of(() -> new SsmKeyWriter(clients.ssm(), secretKmsKeyId));
        this.functions = Lazy.of(() -> new LambdaKeyInvoker(clients.lambda()));
    }

    @Override
    public void deliver(DeliveryTarget target, KeyHandover handover) {
        switch (target) {
            case DeliveryTarget.Secret secret -> secrets.get().write(secret,
                    KeyDocuments.keyDocument(handover.user(), handover.key()));
            case DeliveryTarget.Parameter parameter -> parameters.get().write(parameter,
                    KeyDocuments.keyDocument(handover.user(), handover.key()));
            case DeliveryTarget.Function function -> functions.get().invoke(function, handover);
        }
    }
}
