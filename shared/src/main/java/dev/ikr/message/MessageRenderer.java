package dev.ikr.message;

import dev.ikr.domain.MailMessage;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.stream.Collectors.joining;

import dev.ikr.domain.EmailAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a mail, as plain text and HTML, from one template file: the classpath resource
 * {@code /dev/ikr/message/<name>.mail} (UTF-8). Templates are plain text, never HTML.
 *
 * <h2>Template language</h2>
 * <ul>
 *   <li>After the blocks below are expanded, the first line is {@code Subject: ...} and the next
 *       line is blank; the rest is the body. (So a template may choose between subject lines with
 *       {@code {{#if}}} blocks placed before the blank line.)
 *   <li>{@code {{name}}} is replaced by the String value {@code name}. A missing value (absent,
 *       {@code null} or empty) is an error: {@link IllegalArgumentException} naming the placeholder
 *       and the template, never a value.
 *   <li>{@code {{#if name}}} ... {@code {{/if}}}, each tag on its own line: the lines between are kept
 *       only if {@code name} is present (a non-blank String or a non-empty List).
 *       {@code {{#if !name}}} keeps them only if it is not. Blocks nest.
 *   <li>{@code {{#each name}}} ... {@code {{/each}}}, each tag on its own line: the lines between are
 *       repeated for each element of the List value {@code name} (none if absent), with
 *       {@code {{.}}} being the element.
 *   <li>The body is made of blocks separated by blank lines. In HTML a block whose lines all start
 *       with {@code "- "} is a {@code <ul>}; one whose lines all start with four spaces is a
 *       {@code <pre>} (spaces stripped: commands and keys to copy); one whose first line starts with
 *       {@code "# "} is an {@code <h2>} followed by the rest of the block as a paragraph; any other is a
 *       {@code <p>} with its line breaks kept as {@code <br>}. The text part keeps the lines as written,
 *       except that a heading is written without {@code "# "} and underlined with {@code =}.
 *       Only the template's own characters decide the kind of a block, never a value.
 * </ul>
 *
 * <p>Values may come from IAM tags, so they are untrusted: everything is HTML-escaped in the HTML
 * part, and a line break inside a value becomes a space (a value can neither start a new line or
 * block nor add a mail header through the subject). The text part ends with one newline and never
 * has two blank lines in a row.
 */
public final class MessageRenderer {

    private static final String NAME = "([A-Za-z][A-Za-z0-9_]*|\\.)";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{" + NAME + "}}");
    private static final Pattern OPEN_TAG = Pattern.compile("\\{\\{#(if|each) (!?)" + NAME + "}}");
    private static final Pattern TEMPLATE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    private static final Pattern LINE_BREAKS = Pattern.compile("\\R+");
    private static final String SUBJECT = "Subject: ";
    private static final String INDENT = "    ";

    private final Map<String, List<Node>> templates = new ConcurrentHashMap<>();

    /** The templates IKR sends. */
    public static final List<String> TEMPLATES = List.of("new-key", "key-deleted", "action-needed");

    /** Reads and parses every template now (SnapStart priming; a broken template fails the snapshot, not a mail). */
    public MessageRenderer preloaded() {
        TEMPLATES.forEach(name -> templates.computeIfAbsent(name, MessageRenderer::load));
        return this;
    }

    /**
     * Renders the template {@code templateName} with {@code values}, each a {@code String}, a
     * {@code List<String>}, or absent.
     *
     * @throws IllegalArgumentException if the template is missing or malformed, or a value it needs is
     *     missing or of the wrong type
     */
    public MailMessage render(String templateName, List<EmailAddress> to, Map<String, Object> values) {
        Objects.requireNonNull(values, "values");
        if (templateName == null || !TEMPLATE_NAME.matcher(templateName).matches()) {
            throw new IllegalArgumentException("invalid mail template name");
        }
        List<Line> lines = new ArrayList<>();
        expand(templates.computeIfAbsent(templateName, MessageRenderer::load),
                new Scope(templateName, values, null), lines);
        if (lines.isEmpty() || !lines.get(0).text().startsWith(SUBJECT)
                || (lines.size() > 1 && !lines.get(1).text().isEmpty())) {
            throw new IllegalArgumentException("mail template '" + templateName
                    + "' must start with a 'Subject: ' line followed by a blank line");
        }
        String subject = lines.get(0).text().substring(SUBJECT.length()).strip();
        List<List<Line>> blocks = blocks(lines.subList(1, lines.size()));
        return new MailMessage(to, subject, text(blocks), html(subject, blocks));
    }

    // ---- parsing ---------------------------------------------------------------------------

    private sealed interface Node permits Text, If, Each {}

    /** A template line; {@code prefix} is its literal text before the first placeholder. */
    private record Text(String line, String prefix) implements Node {}

    private record If(String name, boolean negated, List<Node> body) implements Node {}

    private record Each(String name, List<Node> body) implements Node {}

    private record Open(String kind, String name, boolean negated, int lineNo, List<Node> body) {}

    private static List<Node> load(String name) {
        String path = "/dev/ikr/message/" + name + ".mail";
        try (InputStream in = MessageRenderer.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no mail template '" + name + "' (" + path + ")");
            }
            return parse(name, new String(in.readAllBytes(), UTF_8).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read mail template " + path, e);
        }
    }

    private static List<Node> parse(String template, List<String> lines) {
        Deque<Open> open = new ArrayDeque<>();
        open.push(new Open("", "", false, 0, new ArrayList<>()));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String tag = line.strip();
            int lineNo = i + 1;
            boolean inEach = open.stream().anyMatch(o -> o.kind().equals("each"));
            Matcher m = OPEN_TAG.matcher(tag);
            if (m.matches()) {
                boolean each = m.group(1).equals("each");
                if ((each && !m.group(2).isEmpty()) || (each || !inEach) && m.group(3).equals(".")) {
                    throw error(template, lineNo, "invalid tag " + tag);
                }
                open.push(new Open(m.group(1), m.group(3), !m.group(2).isEmpty(), lineNo, new ArrayList<>()));
            } else if (tag.equals("{{/if}}") || tag.equals("{{/each}}")) {
                if (!tag.equals("{{/" + open.peek().kind() + "}}")) {
                    throw error(template, lineNo, tag + " does not close an open block");
                }
                Open o = open.pop();
                open.peek().body().add(o.kind().equals("if")
                        ? new If(o.name(), o.negated(), List.copyOf(o.body()))
                        : new Each(o.name(), List.copyOf(o.body())));
            } else {
                if (PLACEHOLDER.matcher(line).replaceAll("").contains("{{")) {
                    throw error(template, lineNo, "unknown tag (block tags must be alone on their line)");
                }
                if (!inEach && line.contains("{{.}}")) {
                    throw error(template, lineNo, "{{.}} outside {{#each}}");
                }
                int brace = line.indexOf("{{");
                open.peek().body().add(new Text(line, brace < 0 ? line : line.substring(0, brace)));
            }
        }
        if (open.size() > 1) {
            throw error(template, open.peek().lineNo(), "{{#" + open.peek().kind() + "}} is not closed");
        }
        return List.copyOf(open.pop().body());
    }

    private static IllegalArgumentException error(String template, int lineNo, String problem) {
        return new IllegalArgumentException("mail template '" + template + "' line " + lineNo + ": " + problem);
    }

    // ---- expansion -------------------------------------------------------------------------

    /** A rendered body line; {@code prefix} (from the template, never a value) decides its block kind. */
    private record Line(String text, String prefix) {}

    private record Scope(String template, Map<String, Object> values, String element) {

        Object get(String name) {
            Object value = name.equals(".") ? element : values.get(name);
            if (value == null || value instanceof String || value instanceof List<?>) {
                return value;
            }
            throw new IllegalArgumentException("value '" + name + "' for mail template '" + template
                    + "' must be a String or a List of Strings");
        }

        String text(String name) {
            Object value = get(name);
            if (value instanceof List<?>) {
                throw new IllegalArgumentException("{{" + name + "}} in mail template '" + template
                        + "' needs a String, not a List");
            }
            if (value == null || ((String) value).isEmpty()) {
                throw new IllegalArgumentException("mail template '" + template + "' needs a value for {{"
                        + name + "}}");
            }
            return LINE_BREAKS.matcher((String) value).replaceAll(" ");
        }

        List<String> list(String name) {
            Object value = get(name);
            if (value == null || "".equals(value)) {
                return List.of();
            }
            if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
                return list.stream().map(String.class::cast).toList();
            }
            throw new IllegalArgumentException("{{#each " + name + "}} in mail template '" + template
                    + "' needs a List of Strings");
        }

        Scope with(String newElement) {
            return new Scope(template, values, newElement);
        }
    }

    private static boolean present(Object value) {
        return value instanceof String s ? !s.isBlank() : value instanceof List<?> l && !l.isEmpty();
    }

    private static void expand(List<Node> nodes, Scope scope, List<Line> out) {
        for (Node node : nodes) {
            switch (node) {
                case Text t -> out.add(new Line(
                        PLACEHOLDER.matcher(t.line())
                                .replaceAll(m -> Matcher.quoteReplacement(scope.text(m.group(1))))
                                .stripTrailing(),
                        t.prefix()));
                case If i -> {
                    if (present(scope.get(i.name())) != i.negated()) {
                        expand(i.body(), scope, out);
                    }
                }
                case Each e -> {
                    for (String element : scope.list(e.name())) {
                        expand(e.body(), scope.with(element), out);
                    }
                }
            }
        }
    }

    private static List<List<Line>> blocks(List<Line> lines) {
        List<List<Line>> blocks = new ArrayList<>();
        List<Line> block = new ArrayList<>();
        for (Line line : lines) {
            if (!line.text().isBlank()) {
                block.add(line);
            } else if (!block.isEmpty()) {
                blocks.add(block);
                block = new ArrayList<>();
            }
        }
        if (!block.isEmpty()) {
            blocks.add(block);
        }
        return blocks;
    }

    private static boolean all(List<Line> block, String prefix) {
        return block.stream().allMatch(l -> l.prefix().startsWith(prefix));
    }

    private static boolean heading(List<Line> block) {
        return block.get(0).prefix().startsWith("# ");
    }

    // ---- output ----------------------------------------------------------------------------

    private static String text(List<List<Line>> blocks) {
        return blocks.stream().map(MessageRenderer::textBlock).collect(joining("\n\n", "", "\n"));
    }

    private static String textBlock(List<Line> block) {
        List<String> lines = new ArrayList<>(block.stream().map(Line::text).toList());
        if (heading(block)) {
            String title = lines.get(0).substring(2).strip();
            lines.set(0, title);
            lines.add(1, "=".repeat(title.length()));
        }
        return String.join("\n", lines);
    }

    private static String html(String subject, List<List<Line>> blocks) {
        return blocks.stream().map(MessageRenderer::htmlBlock).collect(joining("\n",
                "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + escape(subject)
                        + "</title></head><body style=\"font-family:sans-serif\">\n",
                "\n</body></html>\n"));
    }

    private static String htmlBlock(List<Line> block) {
        if (all(block, "- ")) {
            return block.stream().map(l -> "<li>" + escape(l.text().substring(2)) + "</li>")
                    .collect(joining("", "<ul>", "</ul>"));
        }
        if (all(block, INDENT)) {
            return block.stream().map(l -> escape(l.text().substring(INDENT.length())))
                    .collect(joining("\n", "<pre style=\"white-space:pre-wrap;word-break:break-all\">", "</pre>"));
        }
        if (heading(block)) {
            String title = "<h2>" + escape(block.get(0).text().substring(2).strip()) + "</h2>";
            return block.size() == 1 ? title : title + paragraph(block.subList(1, block.size()));
        }
        return paragraph(block);
    }

    private static String paragraph(List<Line> lines) {
        return lines.stream().map(l -> escape(l.text())).collect(joining("<br>\n", "<p>", "</p>"));
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
