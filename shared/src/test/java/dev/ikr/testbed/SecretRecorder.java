package dev.ikr.testbed;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.iam.model.CreateAccessKeyResponse;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.PutParameterRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;

/**
 * Records every secret that passes through any SDK client in the test JVM: secret access keys that
 * IAM hands out, the values of SecureString parameters written or read, the secrets written to Secrets Manager,
 * the payloads delivery functions are invoked with, and the secret key and session token of every role assumed
 * (a member account's). It is a global SDK
 * interceptor (listed in {@code software/amazon/awssdk/global/handlers/execution.interceptors} of
 * the test resources), so no test can forget it; {@link SecretScan} checks the logs against it. The KMS keys'
 * rotation hands out no secret: its calls carry key ids, aliases, tags, key policies and public keys, and an HMAC or
 * private key never leaves KMS, so none of its calls is recorded here.
 */
public final class SecretRecorder implements ExecutionInterceptor {

    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    /** The secrets seen since the last {@link #clear()}. */
    public static Set<String> secrets() {
        return Set.copyOf(SECRETS);
    }

    public static void clear() {
        SECRETS.clear();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (context.response() instanceof CreateAccessKeyResponse created && created.accessKey() != null) {
            add(created.accessKey().secretAccessKey());
        }
        if (context.request() instanceof PutParameterRequest put && "SecureString".equals(put.typeAsString())) {
            add(put.value());
        }
        if (context.request() instanceof PutSecretValueRequest put) {
            add(put.secretString());
        }
        if (context.request() instanceof CreateSecretRequest create) {
            add(create.secretString());
        }
        if (context.request() instanceof InvokeRequest invoke && invoke.payload() != null) {
            add(invoke.payload().asUtf8String());
        }
        if (context.response() instanceof AssumeRoleResponse assumed && assumed.credentials() != null) {
            add(assumed.credentials().secretAccessKey());
            add(assumed.credentials().sessionToken());
        }
        if (context.response() instanceof GetParameterResponse got && got.parameter() != null
                && "SecureString".equals(got.parameter().typeAsString())) {
            add(got.parameter().value());
        }
    }

    /** Records a secret by hand (for the scan's own test). */
    public static void record(String secret) {
        add(secret);
    }

    private static void add(String secret) {
        if (secret != null && secret.length() >= 8) {
            SECRETS.add(secret);
        }
    }
}
