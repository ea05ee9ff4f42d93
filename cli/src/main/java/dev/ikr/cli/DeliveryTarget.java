package dev.ikr.cli;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code rotate-self --deliver-to KIND:NAME}: where the new key goes instead of the credentials file. Names are
 * checked here, against AWS's own rules, before anything is created: moto accepts names that AWS refuses.
 */
sealed interface DeliveryTarget {

    /** AWS: 1 to 512 of these characters. */
    Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");
    Pattern SECRET_ARN = Pattern.compile(
            "arn:(aws[a-z-]*):secretsmanager:([a-z]{2}(?:-[a-z]+)+-\\d+):(\\d{12}):secret:([A-Za-z0-9/_+=.@-]{1,512})");
    /** AWS: letters, digits and {@code _.-/}; a name with a hierarchy starts with {@code /}; at most 1011. */
    Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z0-9_.\\-/]{1,1011}");
    int MAX_PARAMETER_LEVELS = 15;

    /** Secrets Manager: {@code name} is a secret name or ARN; an ARN names the secret's region. */
    record Secret(String id, Optional<String> arnRegion) implements DeliveryTarget {
        boolean isArn() {
            return arnRegion.isPresent();
        }
    }

    /** An SSM parameter, written as a SecureString. */
    record Parameter(String name) implements DeliveryTarget {
    }

    /**
     * Reads {@code KIND:NAME}.
     *
     * @throws IllegalArgumentException with the reason, when the target is not one {@code rotate-self} can write
     */
    static DeliveryTarget parse(String target) {
        int colon = target.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + target + "' is not KIND:NAME; KIND is secretsmanager or ssm,"
                    + " e.g. secretsmanager:ci/deployer or ssm:/ci/deployer");
        }
        String kind = target.substring(0, colon).toLowerCase(Locale.ROOT);
        String name = target.substring(colon + 1);
        return switch (kind) {
            case "secretsmanager" -> secret(name);
            case "ssm" -> parameter(name);
            case "lambda" -> throw new IllegalArgumentException("lambda: is a delivery target of the rotator (the"
                    + " function hands users' keys to a Lambda), not of rotate-self: use secretsmanager: or ssm:");
            default -> throw new IllegalArgumentException("unknown target kind '" + kind + "': use secretsmanager:"
                    + " or ssm:");
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

    /** picocli: {@code --deliver-to} is checked while the command line is read (exit 2, nothing created). */
    final class Converter implements ITypeConverter<DeliveryTarget> {
        @Override
        public DeliveryTarget convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException invalid) {
                throw new TypeConversionException(invalid.getMessage());
            }
        }
    }
}
