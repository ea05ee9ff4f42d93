package dev.ikr.testbed;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Decrypts a token with Python's {@code cryptography} Fernet: proof that the original's decryption.py reads our mails. */
public final class PythonFernet {

    private PythonFernet() {
    }

    public static String decrypt(String key, String token) {
        try {
            Process process = new ProcessBuilder("python3", "-c",
                    "import sys; from cryptography.fernet import Fernet; "
                            + "sys.stdout.write(Fernet(sys.argv[1].encode()).decrypt(sys.argv[2].encode()).decode())",
                    key, token).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("python3 could not decrypt the token: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new AssertionError("python3 with the cryptography package is needed by this test", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * What Python's {@code Fernet(key)} makes of each text, given as a {@code str}: the 32 key bytes in hex, or
     * {@code REJECTED}. The texts travel hex-encoded, so whitespace and non-ASCII arrive intact.
     */
    public static List<String> keyBytes(List<String> texts) {
        String script = """
                import sys
                from cryptography.fernet import Fernet
                for line in sys.stdin.read().split():
                    try:
                        f = Fernet(bytes.fromhex(line[1:]).decode('utf-8'))
                        print((f._signing_key + f._encryption_key).hex())
                    except ValueError:
                        print('REJECTED')
                """;
        try {
            Process process = new ProcessBuilder("python3", "-c", script).redirectErrorStream(true).start();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try (OutputStream in = process.getOutputStream()) {
                for (String text : texts) {
                    in.write(("x" + HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8)) + "\n")
                            .getBytes(StandardCharsets.US_ASCII));
                }
            }
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("python3 could not read the keys: " + output.join());
            }
            return output.join().lines().toList();
        } catch (IOException e) {
            throw new AssertionError("python3 with the cryptography package is needed by this test", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
