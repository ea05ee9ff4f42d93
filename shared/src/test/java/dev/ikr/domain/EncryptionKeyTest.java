package dev.ikr.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ikr.testbed.PythonFernet;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading a Fernet key exactly as Python cryptography's {@code Fernet(key)} does; writing it url-safe. */
class EncryptionKeyTest {

    /** 32 bytes whose base64 has both characters that differ between the alphabets (+/ and -_). */
    private static final byte[] BYTES = HexFormat.of().parseHex(
            "fbeffe0f3a1c44a1bfffe0c0ffee00112233445566778899aabbccddeeff0102");
    private static final String URL_SAFE = Base64.getUrlEncoder().encodeToString(BYTES);
    private static final String STANDARD = Base64.getEncoder().encodeToString(BYTES);

    @Test
    void theTwoAlphabetsDiffer_forThisKey() {
        assertThat(URL_SAFE).contains("-", "_").doesNotContain("+", "/");
        assertThat(STANDARD).contains("+", "/").doesNotContain("-", "_");
    }

    @Test
    void readsTheUrlSafeAlphabet_andWritesIt() {
        EncryptionKey key = EncryptionKey.fromEncoded(URL_SAFE);

        assertThat(bytes(key)).isEqualTo(BYTES);
        assertThat(key.encoded()).isEqualTo(URL_SAFE);
    }

    @Test
    void readsTheStandardAlphabet_andStillWritesUrlSafe() {
        EncryptionKey key = EncryptionKey.fromEncoded(STANDARD);

        assertThat(key).isEqualTo(EncryptionKey.fromEncoded(URL_SAFE));
        assertThat(key.encoded()).isEqualTo(URL_SAFE);
    }

    @Test
    void readsAKeyMixingTheAlphabets() {
        String mixed = URL_SAFE.replace('_', '/');

        assertThat(mixed).contains("-", "/");
        assertThat(EncryptionKey.fromEncoded(mixed)).isEqualTo(EncryptionKey.fromEncoded(URL_SAFE));
    }

    @Test
    void skipsLineBreaksAndSpaces_asFromAPipeOrAPaste() {
        String wrapped = " " + URL_SAFE.substring(0, 20) + "\r\n" + URL_SAFE.substring(20) + "\n";

        assertThat(EncryptionKey.fromEncoded(wrapped)).isEqualTo(EncryptionKey.fromEncoded(URL_SAFE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "unpadded", "short", "long", "non-ascii", "truncated-quad"})
    void rejectsWhatPythonRejects_withoutEchoingTheText(String kind) {
        String text = switch (kind) {
            case "unpadded" -> URL_SAFE.replace("=", "");
            case "short" -> Base64.getUrlEncoder().encodeToString(new byte[16]);
            case "long" -> Base64.getUrlEncoder().encodeToString(new byte[33]);
            case "non-ascii" -> URL_SAFE.substring(0, 43) + "é";
            case "truncated-quad" -> URL_SAFE.substring(0, 41) + "=";
            default -> "";
        };

        assertThatThrownBy(() -> EncryptionKey.fromEncoded(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a Fernet key must be 32 bytes in base64, url-safe or standard (44 characters)");
    }

    /**
     * The same verdict and the same bytes as Python for every text: well-formed keys in both alphabets, and
     * keys with characters inserted, deleted and replaced (padding, whitespace, other alphabets, non-ASCII).
     */
    @Test
    void acceptsAndRejectsExactlyWhatPythonsFernetDoes() {
        var random = new Random(20_240_517);
        var secure = new SecureRandom();
        String alphabet = "ABCXYZabcxyz0189+/-_= \n\t!.é";
        List<String> texts = new ArrayList<>(List.of(URL_SAFE, STANDARD, URL_SAFE + "A", URL_SAFE + "=",
                URL_SAFE.replace("=", "") + "==", "=" + URL_SAFE, URL_SAFE.substring(0, 42) + "=A=", ""));
        for (int i = 0; i < 1_000; i++) {
            byte[] bytes = new byte[32];
            secure.nextBytes(bytes);
            var text = new StringBuilder(random.nextBoolean() ? Base64.getUrlEncoder().encodeToString(bytes)
                    : Base64.getEncoder().encodeToString(bytes));
            for (int edits = random.nextInt(4); edits > 0; edits--) {
                int at = random.nextInt(text.length() + 1);
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> text.insert(at, c);
                    case 1 -> text.deleteCharAt(Math.min(at, text.length() - 1));
                    default -> text.setCharAt(Math.min(at, text.length() - 1), c);
                }
            }
            texts.add(text.toString());
        }

        List<String> python = PythonFernet.keyBytes(texts);

        assertThat(python).hasSameSizeAs(texts);
        assertThat(python).contains("REJECTED").anyMatch(verdict -> !verdict.equals("REJECTED"));
        for (int i = 0; i < texts.size(); i++) {
            assertThat(java(texts.get(i))).as("the key text %s", quoted(texts.get(i))).isEqualTo(python.get(i));
        }
    }

    private static String java(String text) {
        try {
            return HexFormat.of().formatHex(bytes(EncryptionKey.fromEncoded(text)));
        } catch (IllegalArgumentException rejected) {
            return "REJECTED";
        }
    }

    private static byte[] bytes(EncryptionKey key) {
        byte[] bytes = new byte[32];
        System.arraycopy(key.signingKey(), 0, bytes, 0, 16);
        System.arraycopy(key.encryptionKey(), 0, bytes, 16, 16);
        return bytes;
    }

    private static String quoted(String text) {
        return "'" + text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "'";
    }
}
