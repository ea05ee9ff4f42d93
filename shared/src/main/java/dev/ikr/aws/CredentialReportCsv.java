package dev.ikr.aws;

import dev.ikr.domain.KeyReport;
import dev.ikr.domain.KeyReport.ReportedKey;
import dev.ikr.domain.KeyReport.UserKeys;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads IAM's credential report ({@code text/csv}) into a {@link KeyReport}. Columns are found by their header names,
 * so added or reordered columns do not matter. IAM writes no quoted fields, but a quoted field ({@code "a,b"},
 * {@code ""} for a quote) is read correctly all the same. Anything unexpected (a missing column, a row of the wrong
 * width, a value that is neither a time nor a known placeholder, a user listed twice) makes the whole report
 * unreadable: a report that is only partly understood is not used at all.
 */
public final class CredentialReportCsv {

    static final String USER = "user";
    static final List<String> KEY_SLOTS = List.of("access_key_1", "access_key_2");
    /** What IAM writes instead of a time when there is none. */
    private static final Set<String> NO_TIME = Set.of("n/a", "not_supported", "no_information", "");

    private CredentialReportCsv() {
    }

    /**
     * @throws IllegalArgumentException saying what could not be read (no user data: names, never keys)
     */
    public static KeyReport parse(String csv, Instant generatedAt) {
        List<String> lines = csv.lines().filter(line -> !line.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("the credential report is empty");
        }
        List<String> header = fields(stripByteOrderMark(lines.getFirst()), 1);
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            columns.putIfAbsent(header.get(i).strip().toLowerCase(Locale.ROOT), i);
        }
        int user = column(columns, USER);
        var users = new LinkedHashMap<String, UserKeys>();
        for (int number = 2; number <= lines.size(); number++) {
            List<String> row = fields(lines.get(number - 1), number);
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("line " + number + " of the credential report has " + row.size()
                        + " fields; its header has " + header.size());
            }
            String name = row.get(user).strip();
            var keys = new ArrayList<ReportedKey>();
            for (String slot : KEY_SLOTS) {
                key(row, columns, slot, number).ifPresent(keys::add);
            }
            if (users.put(name, new UserKeys(name, keys)) != null) {
                throw new IllegalArgumentException("the credential report lists user " + name + " twice");
            }
        }
        return new KeyReport(generatedAt, users);
    }

    /** A slot holds a key when it has a creation time or says the key is active. */
    private static Optional<ReportedKey> key(List<String> row, Map<String, Integer> columns, String slot, int number) {
        String activeText = row.get(column(columns, slot + "_active")).strip().toLowerCase(Locale.ROOT);
        String rotatedText = row.get(column(columns, slot + "_last_rotated")).strip();
        boolean active = switch (activeText) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("line " + number + " of the credential report has "
                    + slot + "_active '" + abbreviate(activeText) + "', not true or false");
        };
        Optional<Instant> created = time(rotatedText, slot, number);
        return created.isPresent() || active ? Optional.of(new ReportedKey(active, created)) : Optional.empty();
    }

    private static Optional<Instant> time(String text, String slot, int number) {
        if (NO_TIME.contains(text.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("line " + number + " of the credential report has " + slot
                    + "_last_rotated '" + abbreviate(text) + "', not an ISO-8601 time or N/A");
        }
    }

    private static int column(Map<String, Integer> columns, String name) {
        Integer index = columns.get(name);
        if (index == null) {
            throw new IllegalArgumentException("the credential report has no column " + name);
        }
        return index;
    }

    /** The fields of one line: split at commas outside double quotes; {@code ""} inside quotes is one quote. */
    static List<String> fields(String line, int number) {
        var fields = new ArrayList<String>();
        var field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("line " + number + " of the credential report has an unclosed quote");
        }
        fields.add(field.toString());
        return fields;
    }

    private static String stripByteOrderMark(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
