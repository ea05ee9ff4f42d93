package dev.ikr.rotation;

import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one rotator run (or plan) found and did, user by user.
 *
 * @param credentialReport how the run used IAM's credential report: {@code used}, or {@code unavailable: <reason>}
 *     when it listed the keys of every tagged user instead
 */
public record RunSummary(String mode, Instant startedAt, List<UserOutcome> users, String credentialReport) {

    public RunSummary {
        users = List.copyOf(users);
        java.util.Objects.requireNonNull(credentialReport, "credentialReport");
    }

    public RunSummary(String mode, Instant startedAt, List<UserOutcome> users) {
        this(mode, startedAt, users, "not asked for");
    }

    public Map<Action, Integer> counts() {
        var counts = new EnumMap<Action, Integer>(Action.class);
        users.forEach(outcome -> counts.merge(outcome.action(), 1, Integer::sum));
        return counts;
    }

    public boolean anyFailed() {
        return users.stream().anyMatch(outcome -> outcome.action() == Action.FAILED);
    }

    /** The handler's JSON response, with the AWS calls the run made. */
    public Map<String, Object> toResponse(Map<String, Long> awsCalls) {
        var response = new LinkedHashMap<String, Object>();
        response.put("mode", mode);
        response.put("startedAt", startedAt.toString());
        var counts = new LinkedHashMap<String, Integer>();
        counts().forEach((action, count) -> counts.put(action.code(), count));
        response.put("counts", counts);
        response.put("credentialReport", credentialReport);
        response.put("users", users.stream().map(UserOutcome::toMap).toList());
        response.put("awsCalls", awsCalls);
        response.put("totalAwsCalls", awsCalls.values().stream().mapToLong(Long::longValue).sum());
        return response;
    }
}
