package dev.ikr.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretParameterNameTest {

    /** What SSM accepts in a parameter name (with {@code /} separating the hierarchy). */
    private static final String SSM_LEGAL = "[A-Za-z0-9_.\\-/]+";
    /** Every character IAM allows in a user name. */
    private static final String IAM_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+=,.@_-";

    @ParameterizedTest
    @ValueSource(strings = {"alice", "Alice", "ci-deployer", "svc_backup", "first.last", "a", "_", "a_2Bb",
            "encoded"})
    void keepsTheOriginalProjectsPath_forNamesSsmAccepts(String user) {
        assertThat(SecretParameterName.forUser(user)).isEqualTo("/ikr/secret/iam/" + user);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice+ci", "a=b", "last,first", "alice@example.com", "+", "a+b_c"})
    void encodesUnderTheEncodedFolder_namesWithCharactersSsmRejects(String user) {
        String name = SecretParameterName.forUser(user);

        assertThat(name).startsWith("/ikr/secret/iam/encoded/").matches(SSM_LEGAL);
    }

    @Test
    void writesEachCharacterSsmRejects_andTheEscapeCharacter_asItsHexCode() {
        assertThat(SecretParameterName.forUser("alice@example.com"))
                .isEqualTo("/ikr/secret/iam/encoded/alice_40example.com");
        assertThat(SecretParameterName.forUser("a+b=c,d_e-f"))
                .isEqualTo("/ikr/secret/iam/encoded/a_2Bb_3Dc_2Cd_5Fe-f");
    }

    @Test
    void givesDifferentNames_toUsersWhoseNamesLookAlikeOnceEncoded() {
        List<String> lookAlikes = List.of("a+b", "a_2Bb", "a_2B", "a_5F2Bb", "a_b", "a@b", "a_40b", "encoded",
                "encoded_2Fa");

        assertThat(lookAlikes.stream().map(SecretParameterName::forUser)).doesNotHaveDuplicates();
        assertThat(SecretParameterName.forUser("a+b")).isNotEqualTo(SecretParameterName.forUser("a_2Bb"));
    }

    @Test
    void isInjectiveAndSsmLegal_forEveryShortNameOverTheTrickyCharacters() {
        // Every name of up to four characters over the escape character, the characters it is written
        // with, and each character that forces encoding.
        String alphabet = "_25BFa+=,@.-";
        Map<String, String> userByParameter = new HashMap<>();
        for (String user : allNames(alphabet, 4)) {
            String parameter = SecretParameterName.forUser(user);

            assertThat(parameter).as(user).startsWith(SecretParameterName.PREFIX).matches(SSM_LEGAL);
            String previous = userByParameter.put(parameter, user);
            assertThat(previous).as("%s and %s share %s", previous, user, parameter).isNull();
        }
        assertThat(userByParameter).hasSizeGreaterThan(20_000);
    }

    @Test
    void staysWithinSsmsLimits_forTheLongestIamNameOfTheWorstCharacters() {
        String longest = "@".repeat(64);

        String name = SecretParameterName.forUser(longest);

        assertThat(name).matches(SSM_LEGAL).hasSizeLessThanOrEqualTo(1011);
        assertThat(name.chars().filter(c -> c == '/').count()).isLessThanOrEqualTo(15);
    }

    @Test
    void usesOnlySsmLegalCharacters_forEachCharacterIamAllows() {
        for (char c : IAM_ALPHABET.toCharArray()) {
            assertThat(SecretParameterName.forUser("user" + c)).as("user%s", c).matches(SSM_LEGAL);
        }
    }

    private static List<String> allNames(String alphabet, int maxLength) {
        List<String> names = new ArrayList<>();
        List<String> previous = List.of("");
        for (int length = 1; length <= maxLength; length++) {
            List<String> current = new ArrayList<>();
            for (String prefix : previous) {
                for (char c : alphabet.toCharArray()) {
                    current.add(prefix + c);
                }
            }
            names.addAll(current);
            previous = current;
        }
        return names;
    }
}
