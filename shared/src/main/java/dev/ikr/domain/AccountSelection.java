package dev.ikr.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The accounts one deployment rotates ({@code ACCOUNTS}): its own ({@code self}, no role assumed), a list of account
 * ids, or those of an AWS Organization, all of them or the ones under given organizational units (recursively).
 * Outside {@code self}, the scheduled run only sends one message per account to a queue; a worker rotates each
 * account under its member role.
 */
public sealed interface AccountSelection {

    /** An AWS account id: exactly 12 digits. */
    Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
    /**
     * An organizational unit's id as Organizations documents it: {@code ou-}, 4 to 32 lowercase letters or digits (the
     * root's), a dash and 8 to 32 more.
     */
    Pattern OU_ID = Pattern.compile("ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}");

    /** The deployment's own account only: today's behaviour, no role assumed. */
    record Self() implements AccountSelection {
    }

    /** These accounts, in this order, each under its member role (the deployment's own account too, if listed). */
    record Listed(List<String> accounts) implements AccountSelection {

        public Listed {
            accounts = List.copyOf(accounts);
            if (accounts.isEmpty() || !accounts.stream().allMatch(AccountSelection::isAccountId)) {
                throw new IllegalArgumentException("a list of accounts holds 12-digit account ids");
            }
        }
    }

    /**
     * The organization's {@code ACTIVE} accounts: all of them ({@code units} empty), or those under these
     * organizational units and their child units, recursively.
     */
    record Organization(List<String> units) implements AccountSelection {

        public Organization {
            units = List.copyOf(units);
            if (!units.stream().allMatch(unit -> OU_ID.matcher(unit).matches())) {
                throw new IllegalArgumentException("organizational unit ids look like ou-ab12-cdef3456");
            }
        }
    }

    AccountSelection SELF = new Self();

    static boolean isAccountId(String value) {
        return value != null && ACCOUNT_ID.matcher(value).matches();
    }

    /** Whether the deployment rotates its own account only (no fan-out, no role). */
    default boolean isSelf() {
        return this instanceof Self;
    }

    /**
     * Reads {@code ACCOUNTS}: {@code self}, comma-separated 12-digit account ids, {@code organization} or
     * {@code organization:<ou-id>,<ou-id>}.
     *
     * @param variable the variable's name, for the message
     * @throws IllegalArgumentException one sentence naming the variable and the value that is wrong
     */
    static AccountSelection parse(String raw, String variable) {
        Objects.requireNonNull(raw, "raw");
        String value = raw.strip();
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.isEmpty() || lower.equals("self")) {
            return SELF;
        }
        if (lower.equals("organization")) {
            return new Organization(List.of());
        }
        if (lower.startsWith("organization:")) {
            List<String> units = entries(value.substring("organization:".length()), variable);
            for (String unit : units) {
                if (!OU_ID.matcher(unit).matches()) {
                    throw new IllegalArgumentException(variable + " names '" + unit + "', which is not an"
                            + " organizational unit id (ou-, 4 to 32 lowercase letters or digits, a dash, 8 to 32 more,"
                            + " e.g. ou-ab12-cdef3456)");
                }
            }
            return new Organization(units);
        }
        List<String> accounts = entries(value, variable);
        for (String account : accounts) {
            if (!isAccountId(account)) {
                throw new IllegalArgumentException(variable + " must be self, organization,"
                        + " organization:<ou-id>,... or comma-separated 12-digit account ids; '" + account
                        + "' is none of these");
            }
        }
        return new Listed(accounts);
    }

    private static List<String> entries(String list, String variable) {
        var entries = new LinkedHashSet<String>();
        for (String entry : list.split(",", -1)) {
            String trimmed = entry.strip();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException(variable + " has an empty entry: separate ids with single commas");
            }
            entries.add(trimmed);
        }
        return new ArrayList<>(entries);
    }
}
