package dev.ikr.message;

import static java.util.stream.Collectors.joining;

import dev.ikr.message.Template.Line;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a message's body, made of blocks separated by blank lines, as plain text and as HTML. In HTML a
 * block whose lines all start with {@code "- "} is a list, one whose lines all start with four spaces is
 * preformatted (commands and keys to copy), one whose first line starts with {@code "# "} is a heading and a
 * paragraph, any other a paragraph. Only the template's own characters decide a block's kind, never a value;
 * every value is HTML-escaped.
 */
final class BodyWriter {

    private static final String INDENT = "    ";

    private final List<List<Line>> blocks;

    BodyWriter(List<Line> lines) {
        this.blocks = blocks(lines);
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

    /** The text part: lines as written, a heading underlined; ends with one newline, never two blank lines. */
    String text() {
        return blocks.stream().map(BodyWriter::textBlock).collect(joining("\n\n", "", "\n"));
    }

    String html(String subject) {
        return blocks.stream().map(BodyWriter::htmlBlock).collect(joining("\n",
                "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + escape(subject)
                        + "</title></head><body style=\"font-family:sans-serif\">\n",
                "\n</body></html>\n"));
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

    private static boolean all(List<Line> block, String prefix) {
        return block.stream().allMatch(l -> l.prefix().startsWith(prefix));
    }

    private static boolean heading(List<Line> block) {
        return block.get(0).prefix().startsWith("# ");
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
