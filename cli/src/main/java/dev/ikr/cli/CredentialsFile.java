package dev.ikr.cli;

import dev.ikr.cli.rotateself.KeyPair;
import dev.ikr.config.ConfigurationException;
import dev.ikr.log.JsonLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An AWS shared credentials file ({@code ~/.aws/credentials}), read once; one profile's key pair can be replaced
 * in it atomically. Everything else stays byte for byte: other profiles, comments ({@code #} and {@code ;}),
 * blank lines, unknown settings, indented sub-settings, spacing, inline comments and line endings (LF or CRLF).
 *
 * <p>Syntax as the AWS CLI and SDKs read it: a profile starts with {@code [name]} (in this file
 * {@code [profile name]} is a profile literally named {@code profile name}: that form belongs to
 * {@code ~/.aws/config}); settings are {@code key = value} lines; a line that starts with whitespace continues
 * the setting above it. A profile that appears twice, or a key that appears twice in the profile, is refused:
 * the tools do not agree on which one counts.
 */
final class CredentialsFile {

    static final String ACCESS_KEY_ID = "aws_access_key_id";
    static final String SECRET_ACCESS_KEY = "aws_secret_access_key";
    private static final List<String> SESSION_TOKENS = List.of("aws_session_token", "aws_security_token");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final JsonLog LOG = JsonLog.forClass(CredentialsFile.class);

    private final Path path;
    private final byte[] original;
    private final String text;

    private CredentialsFile(Path path, byte[] original, String text) {
        this.path = path;
        this.original = original;
        this.text = text;
    }

    /** {@code AWS_SHARED_CREDENTIALS_FILE} ({@code ~/} expanded) if set, else {@code ~/.aws/credentials}. */
    static Path defaultPath(Map<String, String> environment, String home) {
        String configured = environment.get("AWS_SHARED_CREDENTIALS_FILE");
        if (configured == null || configured.isBlank()) {
            return Path.of(home, ".aws", "credentials");
        }
        if (configured.equals("~") || configured.startsWith("~/")) {
            return Path.of(home + configured.substring(1));
        }
        return Path.of(configured);
    }

    /** {@code AWS_PROFILE} if set, else {@code default}. */
    static String defaultProfile(Map<String, String> environment) {
        String configured = environment.get("AWS_PROFILE");
        return configured == null || configured.isBlank() ? "default" : configured;
    }

    /** Reads the file; a missing, unreadable or non-UTF-8 file is a configuration error. */
    static CredentialsFile read(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException missing) {
            throw new ConfigurationException("the credentials file " + path + " does not exist (give"
                    + " --credentials-file or set AWS_SHARED_CREDENTIALS_FILE)");
        } catch (IOException unreadable) {
            throw new ConfigurationException("the credentials file " + path + " cannot be read: " + unreadable);
        }
        return new CredentialsFile(path, bytes, decode(path, bytes));
    }

    /** Parses {@code text} as if read from {@code path} (for tests). */
    static CredentialsFile of(Path path, String text) {
        return new CredentialsFile(path, text.getBytes(StandardCharsets.UTF_8), text);
    }

    Path path() {
        return path;
    }

    /**
     * The profile's long-term key pair.
     *
     * @throws ConfigurationException when the profile is missing, lacks a key, appears twice or holds temporary
     *         credentials (a session token)
     */
    KeyPair keyPair(String profile) {
        Profile found = profile(profile);
        for (String token : SESSION_TOKENS) {
            if (found.settings().containsKey(token) && !found.settings().get(token).value().isEmpty()) {
                throw new ConfigurationException("profile " + profile + " in " + path + " holds temporary credentials"
                        + " (" + token + "), not an IAM user's long-term key: there is nothing to rotate");
            }
        }
        return new KeyPair(required(found, profile, ACCESS_KEY_ID).value(),
                required(found, profile, SECRET_ACCESS_KEY).value());
    }

    /** The file's text with the profile's two key values replaced by {@code pair}'s, and nothing else changed. */
    String withKeyPair(String profile, KeyPair pair) {
        keyPair(profile);
        Profile found = profile(profile);
        Setting id = found.settings().get(ACCESS_KEY_ID);
        Setting secret = found.settings().get(SECRET_ACCESS_KEY);
        // replace the later span first, so the earlier one's offsets still hold
        List<Setting> inOrder = id.start() < secret.start() ? List.of(secret, id) : List.of(id, secret);
        var updated = new StringBuilder(text);
        for (Setting setting : inOrder) {
            String value = setting == id ? pair.accessKeyId() : pair.secretAccessKey();
            updated.replace(setting.start(), setting.end(), value);
        }
        return updated.toString();
    }

    /**
     * Replaces the profile's key pair in the file, atomically: a temporary file in the same directory (mode 0600,
     * the file's owner), written and flushed to disk, then renamed over the file. The file is written only if it
     * still holds what {@link #read} found: an edit made meanwhile is not overwritten. Either the whole new file is
     * in place or the old one is untouched.
     *
     * @throws IOException when the file was not replaced (then it is unchanged)
     */
    void replaceKeyPair(String profile, KeyPair pair) throws IOException {
        byte[] updated = withKeyPair(profile, pair).getBytes(StandardCharsets.UTF_8);
        Path target = path.toRealPath();
        Path directory = target.getParent();
        Path name = target.getFileName();
        if (directory == null || name == null) {
            throw new IOException(target + " is not a file in a directory");
        }
        Path temporary = createTemporary(directory, name.toString());
        boolean renamed = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(updated);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            keepOwner(target, temporary);
            if (!Arrays.equals(Files.readAllBytes(target), original)) {
                throw new IOException(target + " changed since rotate-self read it: it was not overwritten");
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException impossible) {
                throw new IOException("cannot rename a file atomically in " + directory, impossible);
            }
            renamed = true;
        } finally {
            if (!renamed) {
                Files.deleteIfExists(temporary);
            }
        }
        syncDirectory(directory);
    }

    private static Path createTemporary(Path directory, String name) throws IOException {
        boolean posix = Files.getFileStore(directory).supportsFileAttributeView(PosixFileAttributeView.class);
        if (!posix) {
            return Files.createTempFile(directory, "." + name + ".", ".tmp");
        }
        Path temporary = Files.createTempFile(directory, "." + name + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.setPosixFilePermissions(temporary, OWNER_ONLY);
        return temporary;
    }

    /** The new file keeps the old one's owner and group (when root rewrites a user's file, say). */
    private static void keepOwner(Path target, Path temporary) throws IOException {
        var view = Files.getFileAttributeView(temporary, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        PosixFileAttributes before = Files.readAttributes(target, PosixFileAttributes.class);
        PosixFileAttributes now = view.readAttributes();
        if (!now.owner().equals(before.owner())) {
            view.setOwner(before.owner());
        }
        if (!now.group().equals(before.group())) {
            view.setGroup(before.group());
        }
    }

    /**
     * Flushes the rename to disk. The rename has happened, so the file holds the new key whatever this does: a
     * failure here is logged, never reported as a failed write (which would delete the key the file holds).
     */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException notSynced) {
            LOG.warn("the directory of the credentials file could not be flushed to disk",
                    Map.of("directory", directory.toString(), "error", notSynced.getClass().getSimpleName()));
        }
    }

    private Setting required(Profile found, String profile, String key) {
        Setting setting = found.settings().get(key);
        if (setting == null || setting.value().isEmpty()) {
            throw new ConfigurationException("profile " + profile + " in " + path + " has no " + key
                    + ": it holds no access key to rotate");
        }
        return setting;
    }

    /** One {@code key = value} line of the profile; {@code start}..{@code end} is the value's place in the text. */
    private record Setting(String value, int start, int end) {
    }

    private record Profile(Map<String, Setting> settings) {
    }

    /** Finds the profile and its settings, or says why not. */
    private Profile profile(String profile) {
        Map<String, Setting> settings = null;
        boolean inProfile = false;
        List<String> names = new ArrayList<>();
        int lineNumber = 0;
        int start = text.startsWith("\uFEFF") ? 1 : 0;
        while (start < text.length()) {
            lineNumber++;
            int newline = text.indexOf('\n', start);
            int end = newline < 0 ? text.length() : newline;
            int contentEnd = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
            String line = text.substring(start, contentEnd);
            String trimmed = line.strip();
            if (trimmed.startsWith("[")) {
                String name = sectionName(trimmed, lineNumber);
                names.add(name);
                inProfile = name.equals(profile);
                if (inProfile && settings != null) {
                    throw new ConfigurationException("profile " + profile + " appears twice in " + path
                            + ": keep one");
                }
                if (inProfile) {
                    settings = new LinkedHashMap<>();
                }
            } else if (inProfile && isSetting(line, trimmed)) {
                int equals = line.indexOf('=');
                String key = line.substring(0, equals).strip().toLowerCase(Locale.ROOT);
                int valueStart = skipSpaces(line, equals + 1);
                int valueEnd = valueEnd(line, valueStart);
                if (settings.containsKey(key)) {
                    throw new ConfigurationException(key + " appears twice in profile " + profile + " of " + path
                            + ": keep one");
                }
                settings.put(key, new Setting(line.substring(valueStart, valueEnd), start + valueStart,
                        start + valueEnd));
            }
            start = newline < 0 ? text.length() : newline + 1;
        }
        if (settings == null) {
            throw new ConfigurationException(missing(profile, names));
        }
        return new Profile(settings);
    }

    private String missing(String profile, List<String> names) {
        String message = "profile " + profile + " is not in " + path;
        if (names.contains("profile " + profile)) {
            return message + ": it has [profile " + profile + "], the config file's syntax; the credentials file"
                    + " names it [" + profile + "]";
        }
        return message + (names.isEmpty() ? " (it has no profile)" : " (it has " + String.join(", ", names) + ")");
    }

    private String sectionName(String trimmed, int lineNumber) {
        int close = trimmed.indexOf(']');
        String after = close < 0 ? "" : trimmed.substring(close + 1).strip();
        if (close < 0 || !(after.isEmpty() || after.startsWith("#") || after.startsWith(";"))) {
            throw new ConfigurationException("line " + lineNumber + " of " + path
                    + " is not a valid profile line ([name], optionally followed by a comment)");
        }
        return trimmed.substring(1, close).strip();
    }

    /** A {@code key = value} line: not blank, not a comment, not indented (a continuation), with an {@code =}. */
    private static boolean isSetting(String line, String trimmed) {
        return !trimmed.isEmpty() && !trimmed.startsWith("#") && !trimmed.startsWith(";")
                && !Character.isWhitespace(line.charAt(0)) && line.indexOf('=') > 0;
    }

    private static int skipSpaces(String line, int from) {
        int at = from;
        while (at < line.length() && Character.isWhitespace(line.charAt(at))) {
            at++;
        }
        return at;
    }

    /** Where the value ends: before an inline comment (whitespace, then {@code #} or {@code ;}) and trailing space. */
    private static int valueEnd(String line, int valueStart) {
        int end = line.length();
        for (int at = valueStart + 1; at < line.length(); at++) {
            char c = line.charAt(at);
            if ((c == '#' || c == ';') && Character.isWhitespace(line.charAt(at - 1))) {
                end = at;
                break;
            }
        }
        while (end > valueStart && Character.isWhitespace(line.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    private static String decode(Path path, byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException notUtf8) {
            throw new ConfigurationException("the credentials file " + path + " is not UTF-8 text");
        }
    }
}
