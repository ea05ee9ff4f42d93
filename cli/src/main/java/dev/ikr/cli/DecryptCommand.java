package dev.ikr.cli;

import dev.ikr.aws.AwsClients;
import dev.ikr.aws.SsmSecretStore;
import dev.ikr.crypto.Fernet;
import dev.ikr.domain.EncryptionKey;
import dev.ikr.domain.SecretParameterName;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ikr decrypt}: turns the two encrypted values of a mail back into the key pair. */
@Command(name = "decrypt", mixinStandardHelpOptions = true,
        description = "Decrypt the access key id and secret mailed by IKR (or by the original project: same Fernet"
                + " format). The decryption key is read from SSM /ikr/secret/iam/<user> with --user (it exists until"
                + " the old key is deleted), or given with --key. Prints {\"accessKeyId\", \"secretAccessKey\"}.",
        footer = {"", "Example:", "  scripts/ikr decrypt --user alice --access-key gAAAAA... --secret-key gAAAAA..."})
final class DecryptCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    KeySource source;

    static final class KeySource {
        @Option(names = "--user", paramLabel = "NAME", description = "Read the key from SSM for this IAM user.")
        String user;

        @Option(names = "--key", paramLabel = "KEY", description = "The Fernet key itself (url-safe base64).")
        String key;
    }

    @Option(names = "--access-key", paramLabel = "TOKEN", required = true, description = "The encrypted access key id.")
    String accessKeyToken;

    @Option(names = "--secret-key", paramLabel = "TOKEN", required = true,
            description = "The encrypted secret access key.")
    String secretKeyToken;

    @Override
    public Integer call() {
        EncryptionKey key = source.key != null
                ? EncryptionKey.fromEncoded(source.key.strip())
                : new SsmSecretStore(new AwsClients().ssm()).userKey(source.user).orElseThrow(() ->
                        new IllegalArgumentException("SSM has no parameter " + SecretParameterName.forUser(source.user)
                                + ": it is deleted with the old key; ask your administrator for a new key"));
        var fernet = new Fernet(Clock.systemUTC(), new SecureRandom());
        var pair = new LinkedHashMap<String, String>();
        pair.put("accessKeyId", fernet.decrypt(key, accessKeyToken.strip()));
        pair.put("secretAccessKey", fernet.decrypt(key, secretKeyToken.strip()));
        LocalRun.print(pair);
        return 0;
    }
}
