package dev.ikr.cli;

import dev.ikr.aws.AwsClients;
import dev.ikr.config.ConfigurationException;
import dev.ikr.config.RotatorConfig;
import dev.ikr.rotator.RotatorWiring;
import java.time.Clock;
import java.util.List;

/**
 * What {@code --account ID|all} names: the accounts {@code ACCOUNTS} selects (with {@code self}, the deployment's own
 * account; with {@code organization...}, as Organizations lists them now), all of them or the one given. An id that
 * {@code ACCOUNTS} does not select is refused (exit 2) before anything is done.
 */
final class AccountChoice {

    static final String ALL = "all";

    private AccountChoice() {
    }

    /**
     * @param option the option's value
     * @param ownAccount the deployment's own account ({@code ACCOUNT_ID}, or the caller's)
     * @throws ConfigurationException in one line, when the option names an account that is not selected
     */
    static List<String> accounts(String option, RotatorConfig config, AwsClients clients, String ownAccount) {
        List<String> selected = config.accounts().selection().isSelf() ? List.of(ownAccount)
                : RotatorWiring.dispatch(config, clients, Clock.systemUTC()).selectedAccounts();
        if (ALL.equals(option)) {
            return selected;
        }
        if (!selected.contains(option)) {
            throw new ConfigurationException("--account " + option + " is not an account ACCOUNTS selects ("
                    + (config.accounts().selection().isSelf() ? "self: " + ownAccount
                    : selected.size() + " selected") + "); give one of them, or all.");
        }
        return List.of(option);
    }
}
