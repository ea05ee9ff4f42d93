package dev.ikr.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The delivery targets the rotator may write to, as its configuration bounds them: secrets whose name starts with
 * {@code DELIVERY_SECRET_PREFIX}, parameters whose name starts with {@code DELIVERY_PARAMETER_PREFIX}, the functions
 * named in {@code DELIVERY_FUNCTIONS}. A kind without its setting is off. The Terraform module grants the rotator
 * exactly these resources, so a target outside them is refused here, before a key is created, rather than by IAM
 * after.
 *
 * @param secretPrefix {@code DELIVERY_SECRET_PREFIX}; empty: no secretsmanager: target
 * @param parameterPrefix {@code DELIVERY_PARAMETER_PREFIX}; empty: no ssm: target
 * @param functions {@code DELIVERY_FUNCTIONS}; empty: no lambda: target
 */
public record DeliveryBounds(Optional<String> secretPrefix, Optional<String> parameterPrefix,
        Set<String> functions) {

    public static final String SECRET_PREFIX_VARIABLE = "DELIVERY_SECRET_PREFIX";
    public static final String PARAMETER_PREFIX_VARIABLE = "DELIVERY_PARAMETER_PREFIX";
    public static final String FUNCTIONS_VARIABLE = "DELIVERY_FUNCTIONS";
    /** Every delivery kind off: keys are mailed only. */
    public static final DeliveryBounds NONE = new DeliveryBounds(Optional.empty(), Optional.empty(), Set.of());

    private static final Pattern SECRET_PREFIX = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,511}");
    private static final Pattern PARAMETER_PREFIX = Pattern.compile("/[A-Za-z0-9_.\\-/]{0,1010}");

    public DeliveryBounds {
        Objects.requireNonNull(secretPrefix, "secretPrefix");
        Objects.requireNonNull(parameterPrefix, "parameterPrefix");
        functions = Set.copyOf(functions);
    }

    /**
     * Why the rotator may not write to {@code target}, naming the setting; empty when it may.
     */
    public Optional<String> refusal(DeliveryTarget target) {
        return switch (target) {
            case DeliveryTarget.Secret secret -> outside(secretPrefix, secret.name(), "secret",
                    SECRET_PREFIX_VARIABLE, target);
            case DeliveryTarget.Parameter parameter -> outside(parameterPrefix, parameter.name(), "parameter",
                    PARAMETER_PREFIX_VARIABLE, target);
            case DeliveryTarget.Function function -> functions.isEmpty() ? Optional.of(off(target, FUNCTIONS_VARIABLE))
                    : functions.contains(function.name()) ? Optional.empty()
                    : Optional.of("function '" + function.name() + "' is not one of " + FUNCTIONS_VARIABLE + " ("
                            + String.join(", ", new TreeSet<>(functions)) + ")");
        };
    }

    /** Whether any delivery kind is on. */
    public boolean anyOn() {
        return secretPrefix.isPresent() || parameterPrefix.isPresent() || !functions.isEmpty();
    }

    private static Optional<String> outside(Optional<String> prefix, String name, String what, String variable,
            DeliveryTarget target) {
        if (prefix.isEmpty()) {
            return Optional.of(off(target, variable));
        }
        return name.startsWith(prefix.get()) ? Optional.empty()
                : Optional.of(what + " '" + name + "' does not start with " + variable + " '" + prefix.get() + "'");
    }

    private static String off(DeliveryTarget target, String variable) {
        return target.kind() + ": targets are off in this deployment (" + variable + " is not set)";
    }

    /**
     * Reads {@code DELIVERY_SECRET_PREFIX}: the start of a secret name.
     *
     * @throws IllegalArgumentException one sentence naming {@code variable}
     */
    public static String secretPrefix(String raw, String variable) {
        if (!SECRET_PREFIX.matcher(raw).matches()) {
            throw new IllegalArgumentException(variable + " must be the start of a secret name: 1 to 511 letters,"
                    + " digits and /_+=.@-, e.g. ikr/, not '" + raw + "'");
        }
        return raw;
    }

    /**
     * Reads {@code DELIVERY_PARAMETER_PREFIX}: the start of a parameter path, which must not reach IKR's own
     * parameters ({@code reserved}: the per-user decryption keys, the record key, the mailer's secret), because the
     * rotator may already write some of them.
     *
     * @throws IllegalArgumentException one sentence naming {@code variable}
     */
    public static String parameterPrefix(String raw, String variable, List<String> reserved) {
        if (!PARAMETER_PREFIX.matcher(raw).matches() || raw.contains("//")) {
            throw new IllegalArgumentException(variable + " must be the start of a parameter path: a / followed by"
                    + " at most 1010 letters, digits and _.-/, without //, e.g. /ikr/keys/, not '" + raw + "'");
        }
        for (String own : reserved) {
            if (own.startsWith(raw) || raw.startsWith(own)) {
                throw new IllegalArgumentException(variable + " '" + raw + "' reaches IKR's own parameter " + own
                        + ": choose a path outside it, e.g. /ikr/keys/");
            }
        }
        return raw;
    }

    /**
     * Reads {@code DELIVERY_FUNCTIONS}: comma-separated function names (not ARNs: the grants name functions of the
     * rotator's own account and region).
     *
     * @throws IllegalArgumentException one sentence naming {@code variable}
     */
    public static Set<String> functions(String raw, String variable) {
        List<String> names = new ArrayList<>();
        for (String entry : raw.split(",", -1)) {
            String name = entry.strip();
            if (!DeliveryTarget.FUNCTION_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(variable + " must be a comma-separated list of function names"
                        + " (1 to 64 letters, digits, - and _), not '" + raw + "'");
            }
            names.add(name);
        }
        return Set.copyOf(names);
    }
}
