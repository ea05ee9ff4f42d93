package dev.ikr.metrics;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One value of one metric: a name made of letters and digits, a CloudWatch unit and a whole number. Nothing else can
 * be put in a metric, so no user name, key id, reason or secret ever reaches one.
 */
public record Metric(String name, Unit unit, long value) {

    /** The units IKR's metrics use, spelled as CloudWatch spells them. */
    public enum Unit {
        COUNT("Count"),
        MILLISECONDS("Milliseconds");

        private final String cloudWatchName;

        Unit(String cloudWatchName) {
            this.cloudWatchName = cloudWatchName;
        }

        public String cloudWatchName() {
            return cloudWatchName;
        }
    }

    /** CloudWatch allows 255 characters; IKR's names are CamelCase words. */
    private static final Pattern NAME = Pattern.compile("[A-Z][A-Za-z0-9]{0,254}");

    public Metric {
        checkName(name);
        Objects.requireNonNull(unit, "unit");
    }

    /** A metric's or a dimension's name: a CamelCase word of letters and digits. */
    static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a metric or dimension name is a CamelCase word of letters and digits,"
                    + " not '" + name + "'");
        }
        return name;
    }

    public static Metric count(String name, long value) {
        return new Metric(name, Unit.COUNT, value);
    }

    public static Metric milliseconds(String name, long value) {
        return new Metric(name, Unit.MILLISECONDS, value);
    }
}
