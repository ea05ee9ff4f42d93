package dev.ikr.port;

import dev.ikr.domain.AccountWork;
import java.util.List;

/** The queue that carries one message per account to the workers that rotate them. */
public interface AccountQueue {

    /** An account whose message the queue did not take, and why. */
    record Unsent(String account, String reason) {
    }

    /**
     * Sends one message per account (in batches, as the queue takes them). A failure for some messages is reported
     * for those, the others are sent.
     *
     * @return the messages that could not be sent
     */
    List<Unsent> send(List<AccountWork> work);
}
