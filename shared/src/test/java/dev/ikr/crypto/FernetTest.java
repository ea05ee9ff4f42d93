package dev.ikr.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.ikr.domain.EncryptionKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FernetTest {

    private static final Instant NOW = Instant.parse("2024-05-17T09:30:15Z");
    private static final String AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    private static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"; // 40 chars, like an AWS secret

    private final SecureRandom random = new SecureRandom();
    private final Fernet fernet = new Fernet(Clock.fixed(NOW, ZoneOffset.UTC), random);
    private final EncryptionKey key = EncryptionKey.generate(random);

    @Test
    void decryptsWhatItEncrypts() {
        String token = fernet.encrypt(key, AWS_SECRET);

        assertThat(fernet.decrypt(key, token)).isEqualTo(AWS_SECRET);
    }

    @Test
    void roundTripsNonAsciiAndEmptyText() {
        assertThat(fernet.decrypt(key, fernet.encrypt(key, "clé 🔑 ключ"))).isEqualTo("clé 🔑 ключ");
        assertThat(fernet.decrypt(key, fernet.encrypt(key, ""))).isEmpty();
    }

    @Test
    void encryptingTheSameTextTwiceGivesDifferentTokens() {
        assertThat(fernet.encrypt(key, AWS_SECRET)).isNotEqualTo(fernet.encrypt(key, AWS_SECRET));
    }

    @Test
    void tokenIsPaddedUrlSafeBase64() {
        String token = fernet.encrypt(key, AWS_ACCESS_KEY_ID);

        assertThat(token).matches("[A-Za-z0-9_-]+={1,2}");
        assertThat(token.length() % 4).isZero();
    }

    @Test
    void tokenStartsWithVersionAndTheClocksEpochSecond() {
        byte[] data = Base64.getUrlDecoder().decode(fernet.encrypt(key, AWS_SECRET));

        assertThat(data[0]).isEqualTo((byte) 0x80);
        assertThat(ByteBuffer.wrap(data, 1, 8).getLong()).isEqualTo(NOW.getEpochSecond());
    }

    @Test
    void decryptsTokensWithoutPadding() {
        String token = fernet.encrypt(key, AWS_ACCESS_KEY_ID); // two AES blocks: the token needs padding
        assertThat(token).endsWith("=");

        assertThat(fernet.decrypt(key, token.replace("=", ""))).isEqualTo(AWS_ACCESS_KEY_ID);
    }

    @Test
    void matchesTheFernetSpecTestVector() {
        // https://github.com/fernet/spec/blob/master/generate.json
        EncryptionKey specKey = EncryptionKey.fromEncoded("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=");
        Clock specNow = Clock.fixed(Instant.parse("1985-10-26T01:20:00-07:00"), ZoneOffset.UTC);
        SecureRandom ivZeroToFifteen = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) i;
                }
            }
        };
        String specToken = "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==";

        assertThat(new Fernet(specNow, ivZeroToFifteen).encrypt(specKey, "hello")).isEqualTo(specToken);
        assertThat(fernet.decrypt(specKey, specToken)).isEqualTo("hello");
    }

    @Test
    void pythonCryptographyDecryptsJavaTokens() {
        String token = fernet.encrypt(key, AWS_SECRET);

        String decrypted = python(
                "import sys; from cryptography.fernet import Fernet; "
                        + "print(Fernet(sys.argv[1].encode()).decrypt(sys.argv[2].encode()).decode())",
                key.encoded(), token);

        assertThat(decrypted).isEqualTo(AWS_SECRET);
    }

    @Test
    void javaDecryptsTokensMadeByPythonCryptographyWithAPythonKey() {
        String[] keyAndToken = python(
                "import sys; from cryptography.fernet import Fernet; k = Fernet.generate_key(); "
                        + "print(k.decode()); print(Fernet(k).encrypt(sys.argv[1].encode()).decode())",
                AWS_SECRET).split("\n");
        assertThat(keyAndToken).hasSize(2);

        EncryptionKey pythonKey = EncryptionKey.fromEncoded(keyAndToken[0]);

        assertThat(pythonKey.encoded()).isEqualTo(keyAndToken[0]);
        assertThat(fernet.decrypt(pythonKey, keyAndToken[1])).isEqualTo(AWS_SECRET);
    }

    @Test
    void rejectsATokenWithAFlippedCiphertextByte() {
        byte[] data = Base64.getUrlDecoder().decode(fernet.encrypt(key, AWS_SECRET));
        data[1 + 8 + 16] ^= 0x01;

        assertInvalid(key, Base64.getUrlEncoder().encodeToString(data));
    }

    @Test
    void rejectsATokenWithAFlippedHmacByte() {
        byte[] data = Base64.getUrlDecoder().decode(fernet.encrypt(key, AWS_SECRET));
        data[data.length - 1] ^= 0x01;

        assertInvalid(key, Base64.getUrlEncoder().encodeToString(data));
    }

    @Test
    void rejectsATokenWithAnotherVersion() {
        byte[] data = Base64.getUrlDecoder().decode(fernet.encrypt(key, AWS_SECRET));
        data[0] = (byte) 0x81;

        assertInvalid(key, Base64.getUrlEncoder().encodeToString(data));
    }

    @Test
    void rejectsMalformedTokens() {
        String token = fernet.encrypt(key, AWS_SECRET);

        assertInvalid(key, "not a token!");
        assertInvalid(key, "");
        assertInvalid(key, token.substring(0, 40));
    }

    @Test
    void rejectsATokenMadeWithAnotherKey() {
        String token = fernet.encrypt(key, AWS_SECRET);

        assertInvalid(EncryptionKey.generate(random), token);
    }

    @Test
    void invalidTokenMessageRevealsNeitherKeyNorTokenNorPlaintext() {
        String token = fernet.encrypt(key, AWS_SECRET);
        EncryptionKey otherKey = EncryptionKey.generate(random);

        assertThatThrownBy(() -> fernet.decrypt(otherKey, token))
                .isInstanceOf(InvalidTokenException.class)
                .hasMessage("the token is not a valid Fernet token for this key")
                .hasNoCause()
                .message().doesNotContain(key.encoded(), otherKey.encoded(), token, AWS_SECRET);
    }

    @Test
    void keyToStringIsRedacted() {
        assertThat(key.toString())
                .isEqualTo("EncryptionKey[<redacted>]")
                .doesNotContain(key.encoded(), AWS_SECRET);
    }

    @Test
    void decryptsWithTheKeyInTheStandardAlphabet_asPythonDoes() {
        String token = fernet.encrypt(key, AWS_SECRET);
        String standard = Base64.getEncoder().encodeToString(Base64.getUrlDecoder().decode(key.encoded()));

        assertThat(fernet.decrypt(EncryptionKey.fromEncoded(standard), token)).isEqualTo(AWS_SECRET);
        assertThat(python("import sys; from cryptography.fernet import Fernet; "
                + "print(Fernet(sys.argv[1]).decrypt(sys.argv[2].encode()).decode())", standard, token))
                .isEqualTo(AWS_SECRET);
    }

    @Test
    void keysAreEqualByContent() {
        EncryptionKey copy = EncryptionKey.fromEncoded(key.encoded());

        assertThat(copy).isEqualTo(key).hasSameHashCodeAs(key).isNotEqualTo(EncryptionKey.generate(random));
    }

    @Test
    void keyEncodingIsPaddedUrlSafeBase64Of32Bytes() {
        assertThat(key.encoded()).hasSize(44).matches("[A-Za-z0-9_-]{43}=");
        assertThat(key.signingKey()).hasSize(16);
        assertThat(key.encryptionKey()).hasSize(16);
    }

    @Test
    void fromEncodedRejectsA16ByteKeyWithoutEchoingIt() {
        String shortKey = Base64.getUrlEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> EncryptionKey.fromEncoded(shortKey))
                .isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain(shortKey);
    }

    @Test
    void fromEncodedRejectsTextThatIsNotA32ByteBase64Key() {
        String notBase64 = "not base64 ".repeat(4);
        String unpadded = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        String thirtyThreeBytes = Base64.getUrlEncoder().encodeToString(new byte[33]);

        for (String text : List.of(notBase64, unpadded, thirtyThreeBytes)) {
            assertThatThrownBy(() -> EncryptionKey.fromEncoded(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .message().doesNotContain(text);
        }
    }

    private void assertInvalid(EncryptionKey decryptionKey, String token) {
        assertThatThrownBy(() -> fernet.decrypt(decryptionKey, token))
                .isInstanceOf(InvalidTokenException.class)
                .message().doesNotContain(decryptionKey.encoded(), AWS_SECRET);
    }

    /**
     * Runs a python3 one-liner and returns its trimmed stdout. Fails (never skips) when python3 or the
     * cryptography package is missing: both are required wherever this suite runs.
     */
    private static String python(String script, String... args) {
        List<String> command = new ArrayList<>(List.of("python3", "-c", script));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("PYTHONIOENCODING", "utf-8");
        try {
            Process process = builder.start();
            CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return fail("python3 did not finish within 30 seconds");
            }
            if (process.exitValue() != 0) {
                return fail("python3 failed (exit " + process.exitValue() + "); this suite needs python3 with the "
                        + "'cryptography' package (pip install cryptography). stderr:\n"
                        + new String(stderr.join(), StandardCharsets.UTF_8));
            }
            return stdout.strip();
        } catch (IOException e) {
            return fail("could not run python3, which this suite needs (with the 'cryptography' package): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while waiting for python3", e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return ("<could not read stderr: " + e + ">").getBytes(StandardCharsets.UTF_8);
        }
    }
}
