package dev.ikr.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UserSettingsTest {

    private static final String EMAIL = "alice@example.com";

    private static IamUser user(Map<String, String> tags) {
        return new IamUser("alice", tags);
    }

    private static Map<String, String> enrolled() {
        var tags = new LinkedHashMap<String, String>();
        tags.put("IKR:EMAIL", EMAIL);
        return tags;
    }

    private static Map<String, String> enrolledWith(String key, String value) {
        var tags = enrolled();
        tags.put(key, value);
        return tags;
    }

    private static UserSettings settings(Map<String, String> tags) {
        return UserSettings.fromTags(user(tags));
    }

    @Test
    void readsTheEmailAndHasNoOverrides_whenOnlyTheEmailTagIsSet() {
        UserSettings settings = settings(enrolled());

        assertThat(settings.email()).isEqualTo(EmailAddress.of(EMAIL));
        assertThat(settings.rotateAfterDays()).isEmpty();
        assertThat(settings.deleteAfterDays()).isEmpty();
        assertThat(settings.instructions()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"IKR:EMAIL", "ikr:email", "Ikr:Email", "iKr:eMaIl"})
    void readsTagKeysInAnyCase(String emailKey) {
        var tags = new LinkedHashMap<String, String>();
        tags.put(emailKey, EMAIL);
        tags.put("ikr:rotate_after_days", "30");
        tags.put("Ikr:Delete_After_Days", "2");
        tags.put("ikr:instruction_0", "Update the CI secret");

        UserSettings settings = settings(tags);

        assertThat(user(tags).isEnrolled()).isTrue();
        assertThat(settings.email().value()).isEqualTo(EMAIL);
        assertThat(settings.rotateAfterDays()).contains(30);
        assertThat(settings.deleteAfterDays()).contains(2);
        assertThat(settings.instructions()).containsExactly("Update the CI secret");
    }

    @Test
    void trimsBlanksAroundTheEmail() {
        assertThat(settings(enrolledWith("IKR:EMAIL", "  alice@example.com \n")).email().value()).isEqualTo(EMAIL);
    }

    @Test
    void readsTheUsersOwnRotateAndDeleteDays() {
        var tags = enrolled();
        tags.put("IKR:ROTATE_AFTER_DAYS", " 30 ");
        tags.put("IKR:DELETE_AFTER_DAYS", "10");

        UserSettings settings = settings(tags);

        assertThat(settings.rotateAfterDays()).contains(30);
        assertThat(settings.deleteAfterDays()).contains(10);
        assertThat(new RotationPolicy(85, 5).forUser(settings)).isEqualTo(new RotationPolicy(30, 10));
    }

    @Test
    void keepsTheDefaultForTheDayCountTheUserDoesNotSet() {
        UserSettings settings = settings(enrolledWith("IKR:DELETE_AFTER_DAYS", "14"));

        assertThat(new RotationPolicy(85, 5).forUser(settings)).isEqualTo(new RotationPolicy(85, 14));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "abc", "0", "-1", "1.5", "99999999999", "36501", "thirty"})
    void rejectsTheUser_namingTheTag_whenRotateAfterDaysIsNotAWholeNumberOfDays(String value) {
        assertThatThrownBy(() -> settings(enrolledWith("IKR:ROTATE_AFTER_DAYS", value)))
                .isInstanceOf(MisconfiguredUserException.class)
                .hasMessageContaining("IKR:ROTATE_AFTER_DAYS")
                .hasMessageContaining("from 1 to 36500");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "0", "-1", "1.5", "99999999999", "36501"})
    void rejectsTheUser_namingTheTag_whenDeleteAfterDaysIsNotAWholeNumberOfDays(String value) {
        assertThatThrownBy(() -> settings(enrolledWith("ikr:delete_after_days", value)))
                .isInstanceOf(MisconfiguredUserException.class)
                .hasMessageContaining("IKR:DELETE_AFTER_DAYS")
                .hasMessageContaining("from 1 to 36500");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "alice", "alice@", "@example.com", "alice@example", "alice @example.com",
            "alice@example.com, bob@example.com", "alice@@example.com", "<alice@example.com>"})
    void rejectsTheUser_namingTheTag_whenTheEmailIsEmptyOrMalformed(String value) {
        assertThatThrownBy(() -> settings(enrolledWith("IKR:EMAIL", value)))
                .isInstanceOf(MisconfiguredUserException.class)
                .hasMessageContaining("IKR:EMAIL");
    }

    @Test
    void rejectsTheUser_whenTheEmailIsLongerThan254Characters() {
        String local = "a".repeat(64);
        String at254 = local + "@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);
        String at255 = local + "@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(62);
        assertThat(at254).hasSize(254);
        assertThat(at255).hasSize(255);

        assertThat(settings(enrolledWith("IKR:EMAIL", at254)).email().value()).isEqualTo(at254);
        assertThatThrownBy(() -> settings(enrolledWith("IKR:EMAIL", at255)))
                .isInstanceOf(MisconfiguredUserException.class)
                .hasMessageContaining("IKR:EMAIL")
                .hasMessageContaining("254");
    }

    @Test
    void rejectsTheUser_whenTheEmailTagIsAbsent() {
        assertThatThrownBy(() -> settings(Map.of("IKR:ROTATE_AFTER_DAYS", "30")))
                .isInstanceOf(MisconfiguredUserException.class)
                .hasMessageContaining("IKR:EMAIL");
    }

    @Test
    void ordersInstructionsNumerically_andDropsBlankOnes() {
        var tags = enrolled();
        tags.put("IKR:INSTRUCTION_10", "ten");
        tags.put("IKR:INSTRUCTION_2", "two");
        tags.put("IKR:INSTRUCTION_11", "eleven");
        tags.put("IKR:INSTRUCTION_0", "zero");
        tags.put("IKR:INSTRUCTION_3", "   ");
        tags.put("IKR:INSTRUCTION_4", "");
        tags.put("IKR:INSTRUCTION_1", "  one  ");

        assertThat(settings(tags).instructions()).containsExactly("zero", "one", "two", "ten", "eleven");
    }

    @ParameterizedTest
    @ValueSource(strings = {"IKR:INSTRUCTION_X", "IKR:INSTRUCTION_", "IKR:INSTRUCTION_-1", "IKR:INSTRUCTION_1a",
            "ikr:instruction_one", "IKR:INSTRUCTION_12345"})
    void rejectsTheUser_namingTheTag_whenAnInstructionTagDoesNotEndInANumber(String key) {
        assertThatThrownBy(() -> settings(enrolledWith(key, "Update the CI secret")))
                .isInstanceOf(MisconfiguredUserException.class)
                .hasMessageContaining(key.toUpperCase(java.util.Locale.ROOT));
    }

    @Test
    void neverDropsAnInstructionSilently_whenTwoTagsHaveTheSameNumber() {
        var tags = enrolled();
        tags.put("IKR:INSTRUCTION_1", "first");
        tags.put("IKR:INSTRUCTION_01", "second");

        try {
            assertThat(settings(tags).instructions()).containsExactlyInAnyOrder("first", "second");
        } catch (MisconfiguredUserException rejected) {
            assertThat(rejected).hasMessageContaining("IKR:INSTRUCTION_");
        }
    }

    @Test
    void ignoresUnrelatedTags() {
        var tags = enrolled();
        tags.put("Department", "Finance");
        tags.put("aws:cloudformation:stack-name", "ci");
        tags.put("ROTATE_AFTER_DAYS", "not a number");
        tags.put("INSTRUCTION_X", "not an IKR tag");

        UserSettings settings = settings(tags);

        assertThat(settings.rotateAfterDays()).isEmpty();
        assertThat(settings.deleteAfterDays()).isEmpty();
        assertThat(settings.instructions()).isEmpty();
    }

    @Test
    void enrollsOnlyUsersWithTheEmailTag() {
        assertThat(user(enrolled()).isEnrolled()).isTrue();
        assertThat(user(Map.of("ikr:email", "")).isEnrolled()).as("enrolled, though misconfigured").isTrue();
        assertThat(user(Map.of()).isEnrolled()).isFalse();
        assertThat(user(Map.of("IKR:ROTATE_AFTER_DAYS", "30", "IKR:INSTRUCTION_0", "x")).isEnrolled()).isFalse();
        assertThat(user(Map.of("IKR:EMAILS", EMAIL, "EMAIL", EMAIL)).isEnrolled()).isFalse();
    }

    // ---- look-alikes --------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"ıkr:emaıl", "İKR:EMAİL", "I\u212AR:EMAIL", "ＩＫＲ：ＥＭＡＩＬ",
            "\u0406\u041AR:\u0415\u041C\u0410\u0406L", "\u0399\u039AR:\u0395\u039C\u0391\u0399L",
            "ı\u041AR:ＥMA\u0399L"})
    void neverEnrolsAUserByALookAlikeOfTheEmailTag_andCallsItMisconfigured_namingTheTag(String key) {
        IamUser user = user(Map.of(key, EMAIL));

        assertThat(user.isEnrolled()).isFalse();
        assertThat(user.hasLookAlikeTags()).isTrue();
        assertThatThrownBy(() -> UserSettings.fromTags(user))
                .isInstanceOf(MisconfiguredUserException.class)
                .hasMessageStartingWith("tag '" + key + "' looks like IKR:EMAIL but is not");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ıkr:emaıl", "IKR:\u0415MAIL", "ikr:rotate_after_dayſ", "IKR:DELE\u03A4E_AFTER_DAYS",
            "ikr:ınstruction_0", "IKR:EMAIL\u00A0"})
    void callsAUserMisconfigured_whenALookAlikeSitsBesideTheRealTags(String key) {
        var tags = enrolled();
        tags.put(key, "someone-else@example.net");

        assertThat(user(tags).isEnrolled()).isTrue();
        assertThatThrownBy(() -> settings(tags))
                .isInstanceOf(MisconfiguredUserException.class)
                .hasMessageContaining("tag '" + TagKeys.printable(key) + "' looks like IKR:")
                .hasMessageNotContaining("someone-else");
    }

    @Test
    void countsTheOtherLookAlikes_inTheReason() {
        assertThatThrownBy(() -> settings(Map.of("ıkr:emaıl", EMAIL, "ıkr:rotate_after_days", "1")))
                .isInstanceOf(MisconfiguredUserException.class)
                .hasMessageContaining("(and 1 more look-alike tags)");
    }

    @Test
    void neverLetsOneSpellingOfATagWinSilently_whenTwoReachIkr() {
        var tags = enrolled();
        tags.put("ikr:email", "mallory@example.net");

        assertThatThrownBy(() -> settings(tags))
                .isInstanceOf(MisconfiguredUserException.class)
                .hasMessageContaining("'IKR:EMAIL' and 'ikr:email' are the same tag IKR:EMAIL spelled twice");
    }

    // ---- allowed mail domains -----------------------------------------------------------------

    private static UserSettings settingsAllowing(String allowed, String email) {
        return UserSettings.fromTags(user(Map.of("IKR:EMAIL", email)),
                AllowedEmailDomains.parse(allowed, "ALLOWED_EMAIL_DOMAINS"));
    }

    @ParameterizedTest
    @CsvSource({
        "example.com,                  alice@example.com",
        "example.com,                  alice@EXAMPLE.Com",
        "EXAMPLE.COM,                  alice@example.com",
        ".example.com,                 alice@example.com",
        ".example.com,                 alice@eu.example.com",
        ".example.com,                 alice@a.b.example.com",
        "other.org;.example.com,       alice@eu.example.com",
        "xn--bcher-kva.example,        alice@xn--bcher-kva.example",
        "XN--BCHER-KVA.example,        alice@xn--bcher-kva.EXAMPLE"})
    void readsAnAddressInAnAllowedDomain(String allowed, String email) {
        assertThat(settingsAllowing(allowed.replace(';', ','), email).email().value()).isEqualTo(email);
    }

    @ParameterizedTest
    @CsvSource({
        "example.com,        alice@eu.example.com,          eu.example.com",
        "example.com,        alice@notexample.com,          notexample.com",
        ".example.com,       alice@notexample.com,          notexample.com",
        ".example.com,       alice@example.com.evil.org,    example.com.evil.org",
        "example.com,        alice@example.org,             example.org"})
    void callsTheUserMisconfigured_namingTheDomainAndTheVariable_whenTheAddressIsOutsideTheAllowedDomains(
            String allowed, String email, String domain) {
        assertThatThrownBy(() -> settingsAllowing(allowed, email))
                .isInstanceOf(MisconfiguredUserException.class)
                .hasMessage("IKR:EMAIL: the address's domain '" + domain + "' is not one that ALLOWED_EMAIL_DOMAINS"
                        + " allows");
    }

    @Test
    void refusesAnAddressWithAUnicodeDomain_whichOnlyTakesPartInItsAsciiForm() {
        assertThatThrownBy(() -> settingsAllowing("xn--bcher-kva.example", "alice@bücher.example"))
                .isInstanceOf(MisconfiguredUserException.class)
                .hasMessageContaining("IKR:EMAIL")
                .hasMessageContaining("not a valid email address");
        assertThatThrownBy(() -> settings(enrolledWith("IKR:EMAIL", "alice@bücher.example")))
                .as("whatever the allowed domains").isInstanceOf(MisconfiguredUserException.class);
    }

    @Test
    void allowsAnyDomain_byDefault() {
        assertThat(settings(enrolledWith("IKR:EMAIL", "alice@anywhere.example")).email().value())
                .isEqualTo("alice@anywhere.example");
    }
}
