package dev.ikr.message;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed template: its lines and blocks, expanded with a mail's values into the lines of the message. */
record Template(String name, List<Node> nodes) {

    sealed interface Node permits Text, If, Each {
    }

    /** A template line; {@code prefix} is its literal text before the first placeholder. */
    record Text(String line, String prefix) implements Node {
    }

    record If(String name, boolean negated, List<Node> body) implements Node {
    }

    record Each(String name, List<Node> body) implements Node {
    }

    /** An expanded line; {@code prefix} (from the template, never a value) decides the kind of its block. */
    record Line(String text, String prefix) {
    }

    private static final Pattern LINE_BREAKS = Pattern.compile("\\R+");

    Template {
        nodes = List.copyOf(nodes);
    }

    /**
     * The lines of the message, with every block decided and every placeholder replaced.
     *
     * @param values each a {@code String}, a {@code List<String>}, or absent
     */
    void expand(Map<String, Object> values, Consumer<Line> out) {
        expand(nodes, new Scope(name, values, null), out);
    }

    private static void expand(List<Node> nodes, Scope scope, Consumer<Line> out) {
        for (Node node : nodes) {
            switch (node) {
                case Text t -> out.accept(new Line(
                        TemplateParser.PLACEHOLDER.matcher(t.line())
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

    private static boolean present(Object value) {
        return value instanceof String s ? !s.isBlank() : value instanceof List<?> l && !l.isEmpty();
    }

    /** The values seen from one place of the template; {@code element} is {@code {{.}}} inside an each block. */
    private record Scope(String template, Map<String, Object> values, String element) {

        Object get(String name) {
            Object value = name.equals(".") ? element : values.get(name);
            if (value == null || value instanceof String || value instanceof List<?>) {
                return value;
            }
            throw new IllegalArgumentException("value '" + name + "' for mail template '" + template
                    + "' must be a String or a List of Strings");
        }

        /** A value as text: a line break inside it becomes a space, so a value never starts a line or a block. */
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
}
