package dev.ikr.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
}
