package dev.ikr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ikr.cli.rotateself.KeyPair;
import dev.ikr.config.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsFileTest {

    private static final Path FILE = Path.of("/home/me/.aws/credentials");
    private static final KeyPair NEW = new KeyPair("AKIANEWNEWNEWNEWNEW1", "new/secret+value=");

    /** Comments of both kinds, blank lines, unknown settings, a sub-setting, an inline comment, odd spacing. */
    private static final String SEVERAL = """
            # my credentials
            [default]
            aws_access_key_id = AKIADEFAULTDEFAULT01
            aws_secret_access_key = default-secret

            ; the CI user
            [ci]
            region=eu-west-1
            aws_access_key_id=AKIACICICICICICICI01   # rotated by rotate-self
            s3 =
              max_concurrent_requests = 4
            aws_secret_access_key   =   ci/secret+1  ;
            unknown_setting = kept

            [profile ci]
            aws_access_key_id = AKIANOTTHISONE000001
            aws_secret_access_key = not-this-one
            """;

    @Test
    void readsTheProfilesKeyPair_notAnotherProfiles_norTheConfigFileStyleHeader() {
        var file = CredentialsFile.of(FILE, SEVERAL);

        assertThat(file.keyPair("ci")).isEqualTo(new KeyPair("AKIACICICICICICICI01", "ci/secret+1"));
        assertThat(file.keyPair("default")).isEqualTo(new KeyPair("AKIADEFAULTDEFAULT01", "default-secret"));
        assertThat(file.keyPair("profile ci").accessKeyId()).isEqualTo("AKIANOTTHISONE000001");
    }

    @Test
    void replacingTheKeyPair_changesTheTwoValuesOnly_everyOtherByteStays() {
        String updated = CredentialsFile.of(FILE, SEVERAL).withKeyPair("ci", NEW);

        assertThat(updated).isEqualTo(SEVERAL
                .replace("AKIACICICICICICICI01   #", NEW.accessKeyId() + "   #")
                .replace("=   ci/secret+1  ;", "=   " + NEW.secretAccessKey() + "  ;"));
        assertThat(CredentialsFile.of(FILE, updated).keyPair("ci")).isEqualTo(NEW);
        assertThat(CredentialsFile.of(FILE, updated).keyPair("profile ci").accessKeyId())
                .isEqualTo("AKIANOTTHISONE000001");
    }

    @Test
    void crlfLineEndings_aByteOrderMark_andAFileWithoutFinalNewline_areKept() {
        String windows = "\uFEFF[default]\r\naws_secret_access_key=old-secret\r\n\r\naws_access_key_id=AKIAOLD\r\n"
                + "[other]\r\naws_access_key_id=AKIAOTHER";

        String updated = CredentialsFile.of(FILE, windows).withKeyPair("default", NEW);

        assertThat(updated).isEqualTo("\uFEFF[default]\r\naws_secret_access_key=" + NEW.secretAccessKey()
                + "\r\n\r\naws_access_key_id=" + NEW.accessKeyId() + "\r\n[other]\r\naws_access_key_id=AKIAOTHER");
    }

    @Test
    void aMissingProfile_orOneWithoutAKeyPair_isAConfigurationError_namingTheProblem() {
        var file = CredentialsFile.of(FILE, SEVERAL + "[empty]\nregion = us-east-1\n[half]\naws_access_key_id = A\n");

        assertThatThrownBy(() -> file.keyPair("nope")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("profile nope is not in " + FILE).hasMessageContaining("default, ci");
        assertThatThrownBy(() -> file.keyPair("empty")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("has no aws_access_key_id");
        assertThatThrownBy(() -> file.keyPair("half")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("has no aws_secret_access_key");
    }

    @Test
    void aConfigFileStyleHeader_getsAHint() {
        var file = CredentialsFile.of(FILE, "[profile dev]\naws_access_key_id = A\naws_secret_access_key = B\n");

        assertThatThrownBy(() -> file.keyPair("dev")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("[profile dev], the config file's syntax");
    }

    @Test
    void temporaryCredentials_areRefused_asNotALongTermKey() {
        var file = CredentialsFile.of(FILE, "[sso]\naws_access_key_id = ASIAX\naws_secret_access_key = s\n"
                + "aws_session_token = token\n");

        assertThatThrownBy(() -> file.keyPair("sso")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("temporary credentials (aws_session_token)")
                .hasMessageContaining("not an IAM user's long-term key");
    }

    @Test
    void aProfileOrKeyThatAppearsTwice_orABrokenHeader_isRefused() {
        assertThatThrownBy(() -> CredentialsFile.of(FILE, "[a]\naws_access_key_id=A\n[a]\n").keyPair("a"))
                .hasMessageContaining("profile a appears twice");
        assertThatThrownBy(() -> CredentialsFile.of(FILE, "[a]\naws_access_key_id=A\naws_access_key_id=B\n")
                .keyPair("a")).hasMessageContaining("aws_access_key_id appears twice");
        assertThatThrownBy(() -> CredentialsFile.of(FILE, "[a\naws_access_key_id=A\n").keyPair("a"))
                .hasMessageContaining("line 1").hasMessageContaining("not a valid profile line");
    }

    @Test
    void theDefaults_comeFromTheEnvironment() {
        assertThat(CredentialsFile.defaultPath(Map.of(), "/home/me")).isEqualTo(FILE);
        assertThat(CredentialsFile.defaultPath(Map.of("AWS_SHARED_CREDENTIALS_FILE", "~/creds"), "/home/me"))
                .isEqualTo(Path.of("/home/me/creds"));
        assertThat(CredentialsFile.defaultPath(Map.of("AWS_SHARED_CREDENTIALS_FILE", "/etc/c"), "/home/me"))
                .isEqualTo(Path.of("/etc/c"));
        assertThat(CredentialsFile.defaultProfile(Map.of())).isEqualTo("default");
        assertThat(CredentialsFile.defaultProfile(Map.of("AWS_PROFILE", "ci"))).isEqualTo("ci");
    }

    @Test
    void theFileIsReplacedAtomically_mode0600_throughASymlink_leavingNoTemporaryFile(@TempDir Path directory)
            throws IOException {
        Path real = directory.resolve("credentials");
        Files.writeString(real, SEVERAL);
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-r--r--"));
        Path link = Files.createSymbolicLink(directory.resolve("link"), real);
        var file = CredentialsFile.read(link);

        file.replaceKeyPair("ci", NEW);

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).isEqualTo(file.withKeyPair("ci", NEW));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(real))).isEqualTo("rw-------");
        try (var files = Files.list(directory)) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder("credentials",
                    "link");
        }
    }

    @Test
    void aFileEditedSinceItWasRead_isNotOverwritten(@TempDir Path directory) throws IOException {
        Path path = directory.resolve("credentials");
        Files.writeString(path, SEVERAL);
        var file = CredentialsFile.read(path);
        Files.writeString(path, SEVERAL + "[added]\n");

        assertThatThrownBy(() -> file.replaceKeyPair("ci", NEW)).isInstanceOf(IOException.class)
                .hasMessageContaining("changed since rotate-self read it");
        assertThat(Files.readString(path)).isEqualTo(SEVERAL + "[added]\n");
        try (var files = Files.list(directory)) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    void aMissingOrNonUtf8File_isAConfigurationError(@TempDir Path directory) throws IOException {
        assertThatThrownBy(() -> CredentialsFile.read(directory.resolve("none")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("does not exist");
        Path latin1 = Files.write(directory.resolve("latin1"), "[caf\u00e9]\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> CredentialsFile.read(latin1)).hasMessageContaining("is not UTF-8");
    }
}
