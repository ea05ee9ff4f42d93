package dev.ikr.rotation;

import dev.ikr.port.AccountQueue;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a dispatch run did: the accounts whose message the queue took, and those it did not, with the reason.
 *
 * @param sent the accounts sent, in the order listed
 * @param notSent the accounts the queue did not take; they are not rotated in this run
 */
public record DispatchSummary(Instant startedAt, List<String> sent, List<AccountQueue.Unsent> notSent) {

    public DispatchSummary {
        sent = List.copyOf(sent);
        notSent = List.copyOf(notSent);
    }

    public boolean anyNotSent() {
        return !notSent.isEmpty();
    }

    /** The handler's JSON response, with the AWS calls the run made. */
    public Map<String, Object> toResponse(Map<String, Long> awsCalls) {
        var response = new LinkedHashMap<String, Object>();
        response.put("mode", "dispatch");
        response.put("startedAt", startedAt.toString());
        response.put("accountsSent", sent);
        response.put("accountsNotSent", notSent.stream().map(unsent -> {
            var entry = new LinkedHashMap<String, Object>();
            entry.put("account", unsent.account());
            entry.put("reason", unsent.reason());
            return entry;
        }).toList());
        response.put("awsCalls", awsCalls);
        response.put("totalAwsCalls", awsCalls.values().stream().mapToLong(Long::longValue).sum());
        return response;
    }
}
