package dev.ikr.config;

import dev.ikr.domain.AllowedEmailDomains;
import dev.ikr.domain.Days;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.MetricNamespace;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Typed reads of environment variables, each failing with one sentence that names the variable. */
final class Environment {

    private final Map<String, String> env;

    private static final String KEY_ID = "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})";
    private static final String ALIAS = "alias/[A-Za-z0-9/_-]{1,250}";
    private static final String KMS_ARN = "arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:";
    /** A key id, a key ARN, an alias name or an alias ARN, as KMS documents each. */
    private static final Pattern KMS_KEY = Pattern.compile(
            KEY_ID + "|" + KMS_ARN + "key/" + KEY_ID + "|" + ALIAS + "|" + KMS_ARN + ALIAS);

    Environment(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    Optional<String> optional(String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(value -> !value.isEmpty());
    }

    String required(String name, String meaning) {
        return optional(name).orElseThrow(() -> new ConfigurationException(
                name + " is required: set it to " + meaning + "."));
    }

    int days(String name, int defaultValue) {
        return optional(name).map(value -> parse(name, value, raw -> Days.parse(raw, name))).orElse(defaultValue);
    }

    int positiveInt(String name, int defaultValue, int max) {
        return optional(name).map(value -> parse(name, value, raw -> {
            try {
                int parsed = Integer.parseInt(raw);
                if (parsed >= 1 && parsed <= max) {
                    return parsed;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException(name + " must be a whole number from 1 to " + max + ", not '" + raw + "'");
        })).orElse(defaultValue);
    }

    /** An optional day count (1 to {@link Days#MAX}). */
    Optional<Integer> optionalDays(String name) {
        return optional(name).map(value -> parse(name, value, raw -> Days.parse(raw, name)));
    }

    /** A whole number from 0 to {@code max}. */
    int count(String name, int defaultValue, int max) {
        return optional(name).map(value -> parse(name, value, raw -> {
            if (raw.matches("[0-9]{1,9}") && Integer.parseInt(raw) <= max) {
                return Integer.parseInt(raw);
            }
            throw new IllegalArgumentException(name + " must be a whole number from 0 to " + max + ", not '" + raw + "'");
        })).orElse(defaultValue);
    }

    /** {@code ACCOUNT_ID}: a 12-digit account id, if set. */
    Optional<String> accountId() {
        Optional<String> accountId = optional("ACCOUNT_ID");
        if (accountId.isPresent() && !accountId.get().matches("[0-9]{12}")) {
            throw new ConfigurationException("ACCOUNT_ID must be a 12-digit AWS account id, not '" + accountId.get() + "'.");
        }
        return accountId;
    }

    boolean bool(String name, boolean defaultValue) {
        return optional(name).map(value -> switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new ConfigurationException(name + " must be true or false, not '" + value + "'.");
        }).orElse(defaultValue);
    }

    EmailAddress email(String name) {
        return address(name, required(name, "the sender address of the mails, e.g. ikr@example.com"));
    }

    /** An optional mail address. */
    Optional<EmailAddress> optionalEmail(String name) {
        return optional(name).map(value -> address(name, value));
    }

    private static EmailAddress address(String name, String value) {
        return parse(name, value, raw -> {
            try {
                return EmailAddress.of(raw);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " must be a mail address: " + e.getMessage());
            }
        });
    }

    /** A comma-separated list of mail domains; unset or blank: any domain. */
    AllowedEmailDomains emailDomains(String name) {
        return optional(name).map(value -> parse(name, value, raw -> AllowedEmailDomains.parse(raw, name)))
                .orElse(AllowedEmailDomains.any());
    }

    /** The CloudWatch namespace of the functions' metrics; unset or blank: {@code IKR}. */
    MetricNamespace metricsNamespace(String name) {
        return optional(name).map(value -> parse(name, value, raw -> MetricNamespace.parse(raw, name)))
                .orElse(MetricNamespace.DEFAULT);
    }

    /**
     * A required KMS key given by its key ARN: IKR compares the key KMS names in its answers with it, and IAM grants
     * are written on it (an alias ARN matches neither).
     */
    String kmsKeyArn(String name, String meaning) {
        String value = required(name, meaning + ", as the key's ARN (arn:aws:kms:<region>:<account>:key/<id>)");
        if (!value.matches(KMS_ARN + "key/" + KEY_ID)) {
            throw new ConfigurationException(name + " must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)"
                    + (value.contains("alias/") ? ", not an alias: IAM grants and KMS answers name the key itself"
                    : "") + ", not '" + value + "'.");
        }
        return value;
    }

    /**
     * A KMS key as SSM and KMS take it: a key id, a multi-Region key id, a key ARN, an alias name or an alias ARN.
     * An alias also works, but only the key's own ARN can be granted in IAM, so the README asks for that.
     */
    Optional<String> kmsKey(String name) {
        return optional(name).map(value -> {
            if (!KMS_KEY.matcher(value).matches()) {
                throw new ConfigurationException(name + " must name a KMS key: its ARN"
                        + " (arn:aws:kms:<region>:<account>:key/<id>), its id, or an alias, not '" + value + "'.");
            }
            return value;
        });
    }

    <E extends Enum<E>> E oneOf(String name, Class<E> type, E defaultValue) {
        return optional(name).map(value -> {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(value)) {
                    return constant;
                }
            }
            String allowed = Arrays.stream(type.getEnumConstants())
                    .map(constant -> constant.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
            throw new ConfigurationException(name + " must be one of " + allowed + ", not '" + value + "'.");
        }).orElse(defaultValue);
    }

    /**
     * The variable as {@code parser} reads it (given the value and the variable's name), if it is set; the parser's
     * {@link IllegalArgumentException}, one sentence naming the variable, fails the cold start.
     */
    <T> Optional<T> parsed(String name, BiFunction<String, String, T> parser) {
        return optional(name).map(value -> parse(name, value, raw -> parser.apply(raw, name)));
    }

    private static <T> T parse(String name, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            throw new ConfigurationException(message.endsWith(".") ? message : message + ".");
        }
    }
}
