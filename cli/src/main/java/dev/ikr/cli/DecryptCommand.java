package dev.ikr.cli;

import dev.ikr.aws.AwsClients;
import dev.ikr.aws.SsmSecretStore;
import dev.ikr.crypto.Fernet;
import dev.ikr.domain.EncryptionKey;
import dev.ikr.domain.SecretParameterName;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ikr decrypt}: turns the two encrypted values of a mail back into the key pair. The decryption key never
 * comes from the command line, where other users ({@code ps}) and the shell's history would see it: it is read
 * from SSM ({@code --user}), from standard input ({@code --key -}) or from {@code IKR_DECRYPT_KEY}.
 */
@Command(name = "decrypt", mixinStandardHelpOptions = true,
        description = "Decrypt the access key id and secret mailed by IKR (or by the original project: same Fernet"
                + " format). The decryption key is read from SSM /ikr/secret/iam/<user> with --user (it exists until"
                + " the old key is deleted), from standard input with --key -, or else from the environment"
                + " variable " + DecryptCommand.KEY_VARIABLE + "; never from the command line. Keys in url-safe or"
                + " standard base64 work. Prints {\"accessKeyId\", \"secretAccessKey\"}.",
        footer = {"", "Examples:",
                "  scripts/ikr decrypt --user alice --access-key gAAAAA... --secret-key gAAAAA...",
                "  scripts/ikr decrypt --key - --access-key gAAAAA... --secret-key gAAAAA... <key",
                "  read -rs " + DecryptCommand.KEY_VARIABLE + "; export " + DecryptCommand.KEY_VARIABLE,
                "  scripts/ikr decrypt --access-key gAAAAA... --secret-key gAAAAA..."})
final class DecryptCommand implements Callable<Integer> {

    static final String KEY_VARIABLE = "IKR_DECRYPT_KEY";
    static final String FROM_STANDARD_INPUT = "-";
    /** Far more than a 44-character key with line breaks: a larger input is not a key. */
    private static final int MAX_KEY_INPUT = 4096;

    @Spec
    CommandSpec spec;

    @Option(names = "--user", paramLabel = "NAME", description = "Read the key from SSM for this IAM user.")
    String user;

    private boolean keyFromStandardInput;

    /** Refuses a key on the command line as soon as it is parsed, without ever repeating it. */
    @Option(names = "--key", paramLabel = "-", description = "Read the key (url-safe or standard base64) from"
            + " standard input. Only '-' is accepted: a key given on the command line is refused.")
    void keyOption(String value) {
        if (!value.equals(FROM_STANDARD_INPUT)) {
            throw new ParameterException(spec.commandLine(), "--key takes no key on the command line, where other"
                    + " users and the shell's history would see it: pipe the key in with --key - or set "
                    + KEY_VARIABLE + ".");
        }
        keyFromStandardInput = true;
    }

    @Option(names = "--access-key", paramLabel = "TOKEN", required = true, description = "The encrypted access key id.")
    String accessKeyToken;

    @Option(names = "--secret-key", paramLabel = "TOKEN", required = true,
            description = "The encrypted secret access key.")
    String secretKeyToken;

    @Override
    public Integer call() {
        EncryptionKey key = decryptionKey();
        var fernet = new Fernet(Clock.systemUTC(), new SecureRandom());
        var pair = new LinkedHashMap<String, String>();
        pair.put("accessKeyId", fernet.decrypt(key, accessKeyToken.strip()));
        pair.put("secretAccessKey", fernet.decrypt(key, secretKeyToken.strip()));
        LocalRun.print(pair);
        return 0;
    }

    /** From {@code --user}, {@code --key -} or {@code IKR_DECRYPT_KEY}, in that order; an option wins. */
    private EncryptionKey decryptionKey() {
        if (user != null && keyFromStandardInput) {
            throw new ParameterException(spec.commandLine(), "--user and --key - are mutually exclusive: give one.");
        }
        if (user != null) {
            return new SsmSecretStore(new AwsClients().ssm()).userKey(user).orElseThrow(() ->
                    new IllegalArgumentException("SSM has no parameter " + SecretParameterName.forUser(user)
                            + ": it is deleted with the old key; ask your administrator for a new key"));
        }
        if (keyFromStandardInput) {
            return EncryptionKey.fromEncoded(require(readKey(System.in), "standard input (--key -) is empty"));
        }
        Optional<String> fromEnvironment = Optional.ofNullable(System.getenv(KEY_VARIABLE));
        if (fromEnvironment.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Missing the decryption key: give --user NAME (from"
                    + " SSM), --key - (from standard input) or set " + KEY_VARIABLE + ".");
        }
        return EncryptionKey.fromEncoded(require(fromEnvironment.get(), KEY_VARIABLE + " is empty"));
    }

    private static String require(String key, String problem) {
        if (key.isBlank()) {
            throw new IllegalArgumentException(problem + ": it must hold the Fernet key");
        }
        return key;
    }

    private static String readKey(InputStream in) {
        try {
            byte[] bytes = in.readNBytes(MAX_KEY_INPUT + 1);
            if (bytes.length > MAX_KEY_INPUT) {
                throw new IllegalArgumentException("standard input (--key -) holds more than a Fernet key");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the key from standard input", e);
        }
    }
}
