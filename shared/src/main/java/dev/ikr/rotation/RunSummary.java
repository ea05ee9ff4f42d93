package dev.ikr.rotation;

import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one rotator run (or plan) found and did, user by user.
 *
 * @param credentialReport how the run used IAM's credential report: {@code used}, or {@code unavailable: <reason>}
 *     when it listed the keys of every tagged user instead
 * @param kmsKeys each KMS key's outcome, when the run handled them ({@code ROTATE_KMS_KEYS})
 */
public record RunSummary(String mode, Instant startedAt, List<UserOutcome> users, String credentialReport,
        Optional<List<KmsKeyOutcome>> kmsKeys) {

    public RunSummary {
        users = List.copyOf(users);
        java.util.Objects.requireNonNull(credentialReport, "credentialReport");
        kmsKeys = kmsKeys == null ? Optional.empty() : kmsKeys.map(List::copyOf);
    }

    public RunSummary(String mode, Instant startedAt, List<UserOutcome> users, String credentialReport) {
        this(mode, startedAt, users, credentialReport, Optional.empty());
    }

    /** The same run, with the KMS keys' outcomes. */
    public RunSummary withKmsKeys(List<KmsKeyOutcome> outcomes) {
        return new RunSummary(mode, startedAt, users, credentialReport, Optional.of(outcomes));
    }

    /** The KMS keys' outcomes counted by action (empty when the run did not handle them). */
    public Map<Action, Integer> kmsCounts() {
        var counts = new EnumMap<Action, Integer>(Action.class);
        kmsKeys.orElse(List.of()).forEach(outcome -> counts.merge(outcome.action(), 1, Integer::sum));
        return counts;
    }

    public RunSummary(String mode, Instant startedAt, List<UserOutcome> users) {
        this(mode, startedAt, users, "not asked for");
    }

    public Map<Action, Integer> counts() {
        var counts = new EnumMap<Action, Integer>(Action.class);
        users.forEach(outcome -> counts.merge(outcome.action(), 1, Integer::sum));
        return counts;
    }

    /** Whether a user or a KMS key failed: the run then ends in error, after everything else was handled. */
    public boolean anyFailed() {
        return users.stream().anyMatch(outcome -> outcome.action() == Action.FAILED)
                || kmsCounts().containsKey(Action.FAILED);
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
        kmsKeys.ifPresent(outcomes -> {
            var kmsCounts = new LinkedHashMap<String, Integer>();
            kmsCounts().forEach((action, count) -> kmsCounts.put(action.code(), count));
            response.put("kmsKeyCounts", kmsCounts);
            response.put("kmsKeys", outcomes.stream().map(KmsKeyOutcome::toMap).toList());
        });
        response.put("awsCalls", awsCalls);
        response.put("totalAwsCalls", awsCalls.values().stream().mapToLong(Long::longValue).sum());
        return response;
    }
}
