package dev.ikr.aws;

import dev.ikr.port.SecretParameters;
import java.util.Optional;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/** Operator secrets as SSM SecureString parameters, read with decryption. */
public final class SsmSecretParameters implements SecretParameters {

    private final SsmClient ssm;

    public SsmSecretParameters(SsmClient ssm) {
        this.ssm = ssm;
    }

    @Override
    public Optional<String> read(String name) {
        try {
            return Optional.of(ssm.getParameter(request -> request.name(name).withDecryption(true))
                    .parameter().value());
        } catch (ParameterNotFoundException absent) {
            return Optional.empty();
        }
    }
}
