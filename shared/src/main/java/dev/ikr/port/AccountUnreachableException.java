package dev.ikr.port;

/**
 * An account IKR cannot act in: its member role is missing or does not trust IKR, the role may not do what IKR
 * needs (access denied), or STS throttled the request. The account is reported and retried on its own.
 */
public final class AccountUnreachableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String account;

    public AccountUnreachableException(String account, String reason) {
        super("account " + account + " cannot be reached: " + reason);
        this.account = account;
    }

    public String account() {
        return account;
    }
}
