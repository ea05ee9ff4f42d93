package dev.ikr.domain;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a new key goes instead of a mail or a credentials file, written {@code KIND:NAME}: the rotator's
 * {@code IKR:DELIVER_TO} tag and {@code scripts/ikr rotate-self --deliver-to}. Names are checked here, against AWS's
 * own rules, before anything is created: moto accepts names that AWS refuses.
 */
public sealed interface DeliveryTarget {

    /** AWS: 1 to 512 of these characters. */
    Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");
    Pattern SECRET_ARN = Pattern.compile(
            "arn:(aws[a-z-]*):secretsmanager:([a-z]{2}(?:-[a-z]+)+-\\d+):(\\d{12}):secret:([A-Za-z0-9/_+=.@-]{1,512})");
    /** AWS: letters, digits and {@code _.-/}; a name with a hierarchy starts with {@code /}; at most 1011. */
    Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z0-9_.\\-/]{1,1011}");
    int MAX_PARAMETER_LEVELS = 15;
    /** AWS: a function name is 1 to 64 letters, digits, hyphens and underscores. */
    Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** The unqualified ARN of a function (IKR invokes {@code $LATEST}, which the grant on the function covers). */
    Pattern FUNCTION_ARN = Pattern.compile(
            "arn:(aws[a-z-]*):lambda:([a-z]{2}(?:-[a-z]+)+-\\d+):(\\d{12}):function:([A-Za-z0-9_-]{1,64})");

    /** {@code secretsmanager}, {@code ssm} or {@code lambda}. */
    String kind();

    /** The name or ARN, as given after the colon. */
    String id();

    /** {@code KIND:NAME}, as it was written: for outcomes, logs and mails (it holds no secret). */
    default String label() {
        return kind() + ":" + id();
    }

    /** Secrets Manager: {@code id} is a secret name or ARN; an ARN names the secret's region. */
    record Secret(String id, Optional<String> arnRegion) implements DeliveryTarget {

        @Override
        public String kind() {
            return "secretsmanager";
        }

        public boolean isArn() {
            return arnRegion.isPresent();
        }

        /** The secret's name: {@code id}, or the name in its ARN (with the suffix Secrets Manager adds). */
        public String name() {
            if (!isArn()) {
                return id;
            }
            Matcher arn = SECRET_ARN.matcher(id);
            return arn.matches() ? arn.group(4) : id;
        }
    }

    /** An SSM parameter, written as a SecureString. */
    record Parameter(String name) implements DeliveryTarget {

        @Override
        public String kind() {
            return "ssm";
        }

        @Override
        public String id() {
            return name;
        }
    }

    /** A Lambda function, invoked synchronously: {@code id} is its name or unqualified ARN. */
    record Function(String id, String name) implements DeliveryTarget {

        @Override
        public String kind() {
            return "lambda";
        }
    }

    /**
     * Reads {@code KIND:NAME}; the kind in any ASCII case.
     *
     * @throws IllegalArgumentException with the reason (it names the value, which holds no secret)
     */
    static DeliveryTarget parse(String target) {
        int colon = target.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + target + "' is not KIND:NAME; KIND is secretsmanager, ssm or"
                    + " lambda, e.g. secretsmanager:ci/deployer or ssm:/ci/deployer");
        }
        String kind = target.substring(0, colon).toLowerCase(Locale.ROOT);
        String name = target.substring(colon + 1);
        return switch (kind) {
            case "secretsmanager" -> secret(name);
            case "ssm" -> parameter(name);
            case "lambda" -> function(name);
            default -> throw new IllegalArgumentException("unknown target kind '" + kind + "': use secretsmanager:,"
                    + " ssm: or lambda:");
        };
    }

    private static Secret secret(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("secretsmanager: needs a secret name or ARN after the colon");
        }
        if (name.startsWith("arn:")) {
            Matcher arn = SECRET_ARN.matcher(name);
            if (!arn.matches()) {
                throw new IllegalArgumentException("'" + name + "' is not a Secrets Manager secret ARN"
                        + " (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)");
            }
            return new Secret(name, Optional.of(arn.group(2)));
        }
        if (!SECRET_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a valid secret name: 1 to 512 letters, digits"
                    + " and /_+=.@-");
        }
        return new Secret(name, Optional.empty());
    }

    private static Parameter parameter(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("ssm: needs a parameter name after the colon, e.g. ssm:/ci/deployer");
        }
        if (!name.startsWith("/") || !PARAMETER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a valid parameter name here: a path that"
                    + " starts with /, of at most 1011 letters, digits and _.-/");
        }
        if (name.contains("//") || name.endsWith("/")) {
            throw new IllegalArgumentException("'" + name + "' has an empty level: no // and no trailing /");
        }
        if (name.chars().filter(c -> c == '/').count() > MAX_PARAMETER_LEVELS) {
            throw new IllegalArgumentException("'" + name + "' has more than " + MAX_PARAMETER_LEVELS + " levels");
        }
        String first = name.substring(1).toLowerCase(Locale.ROOT);
        if (first.startsWith("aws") || first.startsWith("ssm")) {
            throw new IllegalArgumentException("'" + name + "': AWS reserves parameter names that begin with aws"
                    + " or ssm");
        }
        return new Parameter(name);
    }

    private static Function function(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("lambda: needs a function name or ARN after the colon, e.g."
                    + " lambda:deliver-ci-key");
        }
        if (name.startsWith("arn:")) {
            Matcher arn = FUNCTION_ARN.matcher(name);
            if (!arn.matches()) {
                throw new IllegalArgumentException("'" + name + "' is not the unqualified ARN of a Lambda function"
                        + " (arn:aws:lambda:REGION:ACCOUNT:function:NAME, without a version or alias)");
            }
            return new Function(name, arn.group(4));
        }
        if (!FUNCTION_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a valid function name: 1 to 64 letters,"
                    + " digits, - and _");
        }
        return new Function(name, name);
    }
}
