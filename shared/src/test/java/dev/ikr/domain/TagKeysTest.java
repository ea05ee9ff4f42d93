package dev.ikr.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TagKeysTest {

    /** IKR's tag names, with one instruction standing for the family. */
    private static final List<String> NAMES = List.of(TagKeys.EMAIL, TagKeys.ROTATE_AFTER_DAYS,
            TagKeys.DELETE_AFTER_DAYS, TagKeys.DELIVER_TO, TagKeys.INSTRUCTION_PREFIX + "0");

    /** The locales whose case mappings differ from the root locale's (Turkish, Azeri, Lithuanian), and Greek. */
    private static final List<Locale> LOCALES = List.of(Locale.ROOT, Locale.forLanguageTag("tr"),
            Locale.forLanguageTag("az"), Locale.forLanguageTag("lt"), Locale.forLanguageTag("el"));

    @Test
    void foldsTheAsciiLettersOnly() {
        assertThat(TagKeys.fold("ikr:email")).isEqualTo("IKR:EMAIL");
        assertThat(TagKeys.fold("Ikr:Instruction_1x")).isEqualTo("IKR:INSTRUCTION_1X");
        assertThat(TagKeys.fold("ıkr:emaıl")).as("dotless i stays").isEqualTo("ıKR:EMAıL");
        assertThat(TagKeys.fold("\u212Akr:email")).as("Kelvin sign stays").isEqualTo("\u212AKR:EMAIL");
        assertThat("ikr:email".toUpperCase(Locale.forLanguageTag("tr"))).as("what ASCII folding avoids")
                .isEqualTo("İKR:EMAİL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"IKR:EMAIL", "ikr:email", "Ikr:Email", "iKr:eMaIl", "ikr:rotate_after_days",
            "IKR:Delete_After_Days", "ikr:instruction_0", "IKR:INSTRUCTION_12", "ikr:instruction_x"})
    void acceptsEveryAsciiCaseVariant_asIkrsOwnKey(String key) {
        assertThat(TagKeys.isIkrKey(key)).isTrue();
        assertThat(TagKeys.lookAlike(key)).isEmpty();
    }

    @ParameterizedTest(name = "{2}: {0}")
    @CsvSource(delimiter = '|', value = {
        "ıkr:emaıl                 | IKR:EMAIL               | Turkish dotless i",
        "İKR:EMAİL                 | IKR:EMAIL               | Turkish dotted capital I",
        "ikr:emaİl                 | IKR:EMAIL               | one dotted capital I",
        "I\u212AR:EMAIL            | IKR:EMAIL               | Kelvin sign",
        "IKR:ROTATE_AFTER_DAYſ     | IKR:ROTATE_AFTER_DAYS   | long s",
        "ＩＫＲ：ＥＭＡＩＬ            | IKR:EMAIL               | fullwidth letters and colon",
        "ＩＫＲ:ＥＭＡＩＬ             | IKR:EMAIL               | fullwidth letters",
        "\u0406\u041AR:\u0415\u041C\u0410\u0406L | IKR:EMAIL | Cyrillic capitals І К Е М А І",
        "ikr:\u0435m\u0430il       | IKR:EMAIL               | Cyrillic small е а",
        "IKR:\u0415MAIL            | IKR:EMAIL               | one Cyrillic Е",
        "ik\u0433:email            | IKR:EMAIL               | Cyrillic small г read as r",
        "\u0399\u039AR:\u0395\u039C\u0391\u0399L | IKR:EMAIL | Greek capitals Ι Κ Ε Μ Α Ι",
        "ikr:instructi\u03BFn_0    | IKR:INSTRUCTION_0       | Greek small omicron",
        "IKR:DELE\u03A4E_AFTER_DAYS | IKR:DELETE_AFTER_DAYS  | Greek capital tau",
        "IKR:DELI\u0474ER_TO       | IKR:DELIVER_TO         | Cyrillic capital izhitsa read as V",
        "ikr:deli\u0475er_to       | IKR:DELIVER_TO         | Cyrillic small izhitsa read as v",
        "IKR:DELIVER_T\u041E       | IKR:DELIVER_TO         | Cyrillic capital О",
        "ı\u041AR:ＥMA\u0399L       | IKR:EMAIL               | dotless i, Cyrillic, fullwidth and Greek mixed",
        "\u00CDKR:EMAIL            | IKR:EMAIL               | an accent",
        "IKR\uA789EMAIL            | IKR:EMAIL               | modifier letter colon",
        "IKR:EMAIL\u00A0           | IKR:EMAIL               | trailing no-break space",
        "\u1D35\u1D37\u1D3F:EMAIL  | IKR:EMAIL               | modifier capital letters",
        "\u2160KR:EMAIL            | IKR:EMAIL               | Roman numeral one"})
    void refusesALookAlike_namingTheTagAndTheKeyItImitates(String key, String imitated, String what) {
        var lookAlike = TagKeys.lookAlike(key);

        assertThat(lookAlike).as(what).isPresent();
        assertThat(lookAlike.get().imitated()).isEqualTo(imitated);
        assertThat(lookAlike.get().reason()).contains("tag '" + TagKeys.printable(key) + "'")
                .contains("looks like " + imitated + " but is not").contains("U+");
        assertThat(TagKeys.isIkrKey(key)).as("never read as IKR's own key").isFalse();
    }

    @Test
    void showsInvisibleCharactersInTheReason_byTheirCodePoint() {
        var lookAlike = TagKeys.lookAlike("IKR:EMA\u200BIL").orElseThrow();

        assertThat(lookAlike.reason()).startsWith("tag 'IKR:EMA<U+200B>IL' looks like IKR:EMAIL")
                .contains("U+200B ZERO WIDTH SPACE");
    }

    @Test
    void namesTheOddCharacters_inTheReason() {
        assertThat(TagKeys.lookAlike("ıkr:emaıl").orElseThrow().reason())
                .isEqualTo("tag 'ıkr:emaıl' looks like IKR:EMAIL but is not: it has U+0131 LATIN SMALL LETTER"
                        + " DOTLESS I; IKR reads only ASCII letters (in any case) in its tag keys, so it leaves this"
                        + " user alone until the tag is removed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Department", "EMAIL", "IKR:EMAILS", "ikr:team", "ıkr:team", "\u0406KR:TEAM",
            "aws:cloudformation:stack-name", "IKR_EMAIL", "1KR:EMAIL", "ikr email", "Ｔｅａｍ"})
    void leavesOtherKeysAlone(String key) {
        assertThat(TagKeys.isIkrKey(key)).isFalse();
        assertThat(TagKeys.lookAlike(key)).isEmpty();
    }

    /**
     * Exhaustive over Unicode: every character that some locale's case mapping, or NFKC, turns into one ASCII letter
     * (or the colon, or the underscore) of an IKR tag name makes a look-alike when it stands in for that letter.
     */
    @Test
    void catchesEveryCharacterThatCaseMappingOrNfkcTurnsIntoALetterOfAnIkrName() {
        var missed = new ArrayList<String>();
        int tried = 0;
        for (int codePoint = 0x80; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            if (Character.getType(codePoint) == Character.SURROGATE
                    || Character.getType(codePoint) == Character.UNASSIGNED) {
                continue;
            }
            String character = Character.toString(codePoint);
            var images = new ArrayList<String>();
            images.add(Normalizer.normalize(character, Normalizer.Form.NFKC));
            for (Locale locale : LOCALES) {
                images.add(character.toUpperCase(locale));
                images.add(character.toLowerCase(locale));
            }
            for (String image : images) {
                if (image.length() != 1 || !isNameCharacter(image.charAt(0))) {
                    continue;
                }
                char ascii = TagKeys.fold(image).charAt(0);
                for (String name : NAMES) {
                    int at = name.indexOf(ascii);
                    if (at < 0) {
                        continue;
                    }
                    String key = name.substring(0, at) + character + name.substring(at + 1);
                    tried++;
                    if (TagKeys.lookAlike(key).map(TagKeys.LookAlike::imitated).filter(name::equals).isEmpty()) {
                        missed.add(String.format("U+%04X in %s", codePoint, key));
                    }
                }
            }
        }

        assertThat(tried).as("substitutions tried").isGreaterThan(1_000);
        assertThat(missed).isEmpty();
    }

    private static boolean isNameCharacter(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == ':' || c == '_';
    }
}
