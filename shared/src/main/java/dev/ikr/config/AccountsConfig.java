package dev.ikr.config;

import dev.ikr.domain.AccountSelection;
import dev.ikr.domain.MemberRole;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;

/**
 * Which accounts the rotator rotates and how it reaches them: {@code ACCOUNTS} ({@code self}), {@code MEMBER_ROLE_NAME}
 * ({@code ikr-member}), {@code MEMBER_EXTERNAL_ID} (none) and {@code ACCOUNT_QUEUE_URL} (required unless
 * {@code ACCOUNTS} is {@code self}).
 *
 * @param selection {@code ACCOUNTS}
 * @param memberRole the role assumed in each account ({@code MEMBER_ROLE_NAME}, {@code MEMBER_EXTERNAL_ID})
 * @param queueUrl {@code ACCOUNT_QUEUE_URL}: where the scheduled run sends one message per account, and where an
 *     account sends its continuation
 */
public record AccountsConfig(AccountSelection selection, MemberRole memberRole, Optional<String> queueUrl) {

    static final String ACCOUNTS = "ACCOUNTS";
    static final String MEMBER_ROLE_NAME = "MEMBER_ROLE_NAME";
    static final String MEMBER_EXTERNAL_ID = "MEMBER_EXTERNAL_ID";
    static final String ACCOUNT_QUEUE_URL = "ACCOUNT_QUEUE_URL";

    /** One account, the deployment's own: no role, no queue. */
    public static final AccountsConfig SELF = new AccountsConfig(AccountSelection.SELF, MemberRole.DEFAULT,
            Optional.empty());

    public AccountsConfig {
        queueUrl = queueUrl == null ? Optional.empty() : queueUrl;
        if (!selection.isSelf() && queueUrl.isEmpty()) {
            throw new IllegalArgumentException("a selection of accounts needs the queue they are sent to");
        }
    }

    /** @throws ConfigurationException naming the first variable that is missing or wrong */
    static AccountsConfig from(Map<String, String> variables) {
        var env = new Environment(variables);
        AccountSelection selection = env.parsed(ACCOUNTS, AccountSelection::parse).orElse(AccountSelection.SELF);
        MemberRole role = memberRole(variables);
        Optional<String> queue = env.optional(ACCOUNT_QUEUE_URL);
        if (selection.isSelf()) {
            return new AccountsConfig(selection, role, queue);
        }
        String url = queue.orElseThrow(() -> new ConfigurationException(ACCOUNT_QUEUE_URL + " is required when "
                + ACCOUNTS + " is not self: set it to the URL of the SQS queue the accounts are sent to."));
        return new AccountsConfig(selection, role, Optional.of(queueUrl(url)));
    }

    /** {@code MEMBER_ROLE_NAME} and {@code MEMBER_EXTERNAL_ID}, which the destructor reads too. */
    static MemberRole memberRole(Map<String, String> variables) {
        var env = new Environment(variables);
        try {
            return MemberRole.parse(env.optional(MEMBER_ROLE_NAME), env.optional(MEMBER_EXTERNAL_ID),
                    MEMBER_ROLE_NAME, MEMBER_EXTERNAL_ID);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage() + ".");
        }
    }

    /** An SQS queue URL: {@code https://<host>/<12-digit account>/<queue name>} ({@code http} on loopback only). */
    private static String queueUrl(String value) {
        try {
            URI uri = new URI(value);
            String[] path = uri.getPath() == null ? new String[0] : uri.getPath().split("/");
            boolean loopback = uri.getHost() != null && (uri.getHost().equals("localhost")
                    || uri.getHost().startsWith("127.") || uri.getHost().equals("[::1]"));
            boolean scheme = "https".equals(uri.getScheme()) || ("http".equals(uri.getScheme()) && loopback);
            if (scheme && uri.getHost() != null && path.length == 3 && AccountSelection.isAccountId(path[1])
                    && path[2].matches("[A-Za-z0-9_-]{1,80}(\\.fifo)?") && uri.getQuery() == null
                    && uri.getUserInfo() == null) {
                return value;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new ConfigurationException(ACCOUNT_QUEUE_URL + " must be an SQS queue URL like"
                + " https://sqs.<region>.amazonaws.com/<account>/<queue name>, not '" + value + "'.");
    }
}
