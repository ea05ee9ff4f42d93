package dev.ikr.message;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.ikr.message.Template.Each;
import dev.ikr.message.Template.If;
import dev.ikr.message.Template.Node;
import dev.ikr.message.Template.Text;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a template file (the classpath resource {@code /dev/ikr/message/<name>.mail}, UTF-8) into a
 * {@link Template}: the language is described on {@link MessageRenderer}. Any mistake in a template is an
 * {@link IllegalArgumentException} naming the template and the line.
 */
final class TemplateParser {

    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z][A-Za-z0-9_]*|\\.)}}");
    private static final Pattern OPEN_TAG = Pattern.compile("\\{\\{#(if|each) (!?)([A-Za-z][A-Za-z0-9_]*|\\.)}}");
    private static final Pattern TEMPLATE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    private TemplateParser() {
    }

    /** A block being read: its kind ({@code if}, {@code each}, or empty for the template itself). */
    private record Open(String kind, String name, boolean negated, int lineNo, List<Node> body) {
    }

    static Template load(String name) {
        if (name == null || !TEMPLATE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid mail template name");
        }
        String path = "/dev/ikr/message/" + name + ".mail";
        try (InputStream in = TemplateParser.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no mail template '" + name + "' (" + path + ")");
            }
            return parse(name, new String(in.readAllBytes(), UTF_8).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read mail template " + path, e);
        }
    }

    static Template parse(String template, List<String> lines) {
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
                if (!tag.equals("{{/" + open.getFirst().kind() + "}}")) {
                    throw error(template, lineNo, tag + " does not close an open block");
                }
                Open o = open.pop();
                open.getFirst().body().add(o.kind().equals("if")
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
                open.getFirst().body().add(new Text(line, brace < 0 ? line : line.substring(0, brace)));
            }
        }
        if (open.size() > 1) {
            throw error(template, open.getFirst().lineNo(), "{{#" + open.getFirst().kind() + "}} is not closed");
        }
        return new Template(template, List.copyOf(open.pop().body()));
    }

    private static IllegalArgumentException error(String template, int lineNo, String problem) {
        return new IllegalArgumentException("mail template '" + template + "' line " + lineNo + ": " + problem);
    }
}
