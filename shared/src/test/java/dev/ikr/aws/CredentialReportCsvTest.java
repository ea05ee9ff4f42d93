package dev.ikr.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ikr.domain.KeyReport;
import dev.ikr.domain.KeyReport.ReportedKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialReportCsvTest {

    private static final Instant GENERATED = Instant.parse("2026-11-26T03:00:00Z");
    private static final String HEADER = "user,arn,user_creation_time,password_enabled,password_last_used,"
            + "password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
            + "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
            + "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,"
            + "access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

    /** What moto 5 returns: one active key; an inactive and an active key; no key. */
    private static final String MOTO = HEADER + "\n"
            + "alice,arn:aws:iam::123456789012:user/alice,2026-11-26T02:56:01+00:00,false,not_supported,"
            + "2026-11-26T02:56:01+00:00,not_supported,false,true,2026-11-26T02:56:01+00:00,N/A,not_supported,"
            + "not_supported,false,N/A,N/A,not_supported,not_supported,false,N/A,false,N/A\n"
            + "bob,arn:aws:iam::123456789012:user/bob,2026-11-26T02:56:01+00:00,false,not_supported,"
            + "2026-11-26T02:56:01+00:00,not_supported,false,false,2026-10-01T08:00:00+00:00,N/A,not_supported,"
            + "not_supported,true,2026-11-26T02:56:01+00:00,N/A,not_supported,not_supported,false,N/A,false,N/A\n"
            + "carol,arn:aws:iam::123456789012:user/carol,2026-11-26T02:56:02+00:00,false,not_supported,"
            + "2026-11-26T02:56:02+00:00,not_supported,false,false,N/A,N/A,not_supported,not_supported,false,N/A,"
            + "N/A,not_supported,not_supported,false,N/A,false,N/A\n";

    /** IAM's own shape: the root account's row, times with Z-less offsets, no_information, CRLF line ends. */
    private static final String IAM = HEADER + "\r\n"
            + "<root_account>,arn:aws:iam::123456789012:root,2014-09-01T22:28:48+00:00,not_supported,"
            + "2026-11-20T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,"
            + "N/A,false,N/A,false,N/A\r\n"
            + "dave,arn:aws:iam::123456789012:user/dave,2024-02-01T09:15:00+00:00,true,no_information,"
            + "2024-02-01T09:16:00+00:00,N/A,false,true,2026-08-01T12:00:00+00:00,2026-11-25T17:00:00+00:00,"
            + "eu-west-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\r\n";

    @Test
    void readsMotosReport_keysInSlotOrder_activeFlags_andCreationTimes() {
        KeyReport report = CredentialReportCsv.parse(MOTO, GENERATED);

        assertThat(report.generatedAt()).isEqualTo(GENERATED);
        assertThat(report.users()).containsOnlyKeys("alice", "bob", "carol");
        assertThat(report.forUser("alice").orElseThrow().keys()).containsExactly(
                new ReportedKey(true, Optional.of(Instant.parse("2026-11-26T02:56:01Z"))));
        assertThat(report.forUser("bob").orElseThrow().keys()).containsExactly(
                new ReportedKey(false, Optional.of(Instant.parse("2026-10-01T08:00:00Z"))),
                new ReportedKey(true, Optional.of(Instant.parse("2026-11-26T02:56:01Z"))));
        assertThat(report.forUser("bob").orElseThrow().oldestKeyCreated())
                .contains(Instant.parse("2026-10-01T08:00:00Z"));
        assertThat(report.forUser("carol").orElseThrow().keyCount()).isZero();
        assertThat(report.forUser("nobody")).isEmpty();
    }

    @Test
    void readsIamsReport_withTheRootRow_crlf_andPlaceholders() {
        KeyReport report = CredentialReportCsv.parse(IAM, GENERATED);

        assertThat(report.forUser("<root_account>").orElseThrow().keys()).isEmpty();
        assertThat(report.forUser("dave").orElseThrow().keys()).containsExactly(
                new ReportedKey(true, Optional.of(Instant.parse("2026-08-01T12:00:00Z"))));
    }

    @Test
    void findsColumnsByName_inAnyOrder_andIgnoresColumnsItDoesNotKnow() {
        String csv = "access_key_2_last_rotated,Access_Key_1_Active,extra,USER,access_key_2_active,"
                + "access_key_1_last_rotated\n"
                + "N/A,true,whatever,erin,false,2026-01-02T03:04:05Z\n";

        KeyReport report = CredentialReportCsv.parse(csv, GENERATED);

        assertThat(report.forUser("erin").orElseThrow().keys()).containsExactly(
                new ReportedKey(true, Optional.of(Instant.parse("2026-01-02T03:04:05Z"))));
    }

    @Test
    void readsAQuotedField_withACommaAndAnEscapedQuote() {
        String csv = "user,note,access_key_1_active,access_key_1_last_rotated,access_key_2_active,"
                + "access_key_2_last_rotated\n"
                + "frank,\"a, \"\"quoted\"\" note\",true,2026-01-02T03:04:05+00:00,false,N/A\n"
                + "\"grace\",plain,false,N/A,false,N/A\n";

        KeyReport report = CredentialReportCsv.parse(csv, GENERATED);

        assertThat(report.forUser("frank").orElseThrow().keyCount()).isEqualTo(1);
        assertThat(report.forUser("grace").orElseThrow().keyCount()).isZero();
        assertThat(CredentialReportCsv.fields("a,\"b,\"\"c\"\"\",d", 1)).containsExactly("a", "b,\"c\"", "d");
    }

    @Test
    void keepsAnActiveKeyWithoutATime_asAKeyOfUnknownAge() {
        String csv = "user,access_key_1_active,access_key_1_last_rotated,access_key_2_active,"
                + "access_key_2_last_rotated\n"
                + "heidi,true,N/A,false,N/A\n";

        var row = CredentialReportCsv.parse(csv, GENERATED).forUser("heidi").orElseThrow();

        assertThat(row.keys()).containsExactly(new ReportedKey(true, Optional.empty()));
        assertThat(row.oldestKeyCreated()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"user", "access_key_1_active", "access_key_1_last_rotated", "access_key_2_active",
            "access_key_2_last_rotated"})
    void refusesAReport_withoutAColumnItNeeds(String missing) {
        List<String> columns = List.of("user", "access_key_1_active", "access_key_1_last_rotated",
                "access_key_2_active", "access_key_2_last_rotated");
        String header = String.join(",", columns.stream().map(name -> name.equals(missing) ? "other" : name).toList());

        assertThatThrownBy(() -> CredentialReportCsv.parse(header + "\nivan,false,N/A,false,N/A\n", GENERATED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the credential report has no column " + missing);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "user,access_key_1_active,access_key_1_last_rotated,access_key_2_active,access_key_2_last_rotated\n"
                + "judy,true,2026-01-02T03:04:05Z,false\n",
        "user,access_key_1_active,access_key_1_last_rotated,access_key_2_active,access_key_2_last_rotated\n"
                + "judy,yes,2026-01-02T03:04:05Z,false,N/A\n",
        "user,access_key_1_active,access_key_1_last_rotated,access_key_2_active,access_key_2_last_rotated\n"
                + "judy,true,last tuesday,false,N/A\n",
        "user,access_key_1_active,access_key_1_last_rotated,access_key_2_active,access_key_2_last_rotated\n"
                + "judy,true,2026-01-02,false,N/A\n",
        "user,access_key_1_active,access_key_1_last_rotated,access_key_2_active,access_key_2_last_rotated\n"
                + "\"judy,true,2026-01-02T03:04:05Z,false,N/A\n",
        "user,access_key_1_active,access_key_1_last_rotated,access_key_2_active,access_key_2_last_rotated\n"
                + "judy,false,N/A,false,N/A\njudy,true,2026-01-02T03:04:05Z,false,N/A\n"
    })
    void refusesAReport_itCannotReadWhole(String csv) {
        assertThatThrownBy(() -> CredentialReportCsv.parse(csv, GENERATED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("credential report");
    }
}
