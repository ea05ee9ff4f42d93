package dev.ikr.cli;

import dev.ikr.aws.AwsClients;
import dev.ikr.aws.IamDirectory;
import dev.ikr.aws.MemberAccounts;
import dev.ikr.domain.MemberRole;
import dev.ikr.port.Mailer;
import dev.ikr.port.PendingDeletions;
import dev.ikr.rotation.AccountScopedDeletions;
import dev.ikr.util.Failures;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import dev.ikr.domain.KeyUse;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationRecord;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.ikr.config.RotatorConfig;
import dev.ikr.rotation.Rotator;
import dev.ikr.rotator.RotatorWiring;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ikr plan}: what a rotator run would do, per user, changing nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Print what a rotator run would do for each tagged user, the pending deletions with their"
                + " stage (deactivation or deletion), next date, deletion date and the old key's last use, the records that need attention and the table items IKR did not write (unverifiedRecords),"
                + " and, with ROTATE_KMS_KEYS, each KMS key with its decision (kmsKeys),"
                + " without changing anything (read-only calls only).",
        footer = {"", "Example:", "  scripts/ikr plan --now 2027-03-01 | jq '.users[] | select(.action==\"would_rotate\")'"})
final class PlanCommand implements Callable<Integer> {

    @Option(names = "--now", paramLabel = "ISO-8601", description = "The time to plan for (instant or date).")
    String now;

    @Option(names = "--account", paramLabel = "ID|all", description = "With ACCOUNTS other than self: the account to"
            + " plan (under its member role), or all the accounts ACCOUNTS selects (the default then). An id ACCOUNTS"
            + " does not select is refused (exit 2).")
    String account;

    @Override
    public Integer call() {
        var config = RotatorConfig.from(System.getenv());
        var clients = new AwsClients();
        Clock clock = LocalRun.clock(Optional.ofNullable(now));
        String own = config.accountId()
                .orElseGet(() -> LocalRun.context("ikr-rotator", clients).getInvokedFunctionArn().split(":")[4]);
        List<String> accounts = account == null && config.accounts().selection().isSelf() ? List.of(own)
                : AccountChoice.accounts(account == null ? AccountChoice.ALL : account, config, clients, own);
        if (config.accounts().selection().isSelf()) {
            LocalRun.print(plan(RotatorWiring.rotator(config, clients, clock),
                    RotatorWiring.pendingDeletions(config, clients), new IamDirectory(clients.iam()), own, clients));
            return 0;
        }
        var table = RotatorWiring.table(config, clients);
        Mailer noMail = mail -> {
            throw new IllegalStateException("a plan sends no mail");
        };
        var plans = new ArrayList<Map<String, Object>>();
        try (var members = new MemberAccounts(clients, config.accounts().memberRole(), MemberRole.ROTATOR_SESSION)) {
            for (String id : accounts) {
                var entry = new LinkedHashMap<String, Object>();
                entry.put("account", id);
                try {
                    members.reach(id);
                    AwsClients member = members.clients(id);
                    entry.putAll(plan(RotatorWiring.memberRotator(config, member, id, table, noMail, clock),
                            new AccountScopedDeletions(table, Optional.of(id)), new IamDirectory(member.iam()), id,
                            clients));
                } catch (RuntimeException e) {
                    entry.put("error", Failures.describe(e));
                }
                plans.add(entry);
            }
        }
        LocalRun.print(account != null && !AccountChoice.ALL.equals(account) ? plans.getFirst()
                : Map.of("accounts", plans));
        return plans.stream().anyMatch(entry -> entry.containsKey("error")) ? IkrCli.RUN_FAILED : 0;
    }

    /** The plan of one account: the users' decisions, and the table's items of that account. */
    private static Map<String, Object> plan(Rotator rotator, PendingDeletions pendingDeletions,
            IamDirectory directory, String accountId, AwsClients clients) {
        var before = clients.callCounter().snapshot();
        var summary = rotator.run(accountId, Rotator.Mode.PLAN);
        var table = pendingDeletions.all();
        var records = table.verified();
        var result = new LinkedHashMap<String, Object>(summary.toResponse(clients.callCounter().since(before)));
        result.put("pendingDeletions", records.stream()
                .filter(record -> record.state() == RecordState.PENDING_DELETION)
                .sorted(Comparator.comparing(record -> record.deleteOn().orElseThrow()))
                .map(record -> pending(record, directory))
                .toList());
        result.put("needsAttention", records.stream()
                .filter(record -> record.state() == RecordState.NEEDS_ATTENTION)
                .map(record -> entry(record, "reason", record.reason().orElse("")))
                .toList());
        result.put("unverifiedRecords", table.unverified().stream().map(item -> {
            var entry = new LinkedHashMap<String, Object>();
            entry.put("user", item.user());
            entry.put("keyId", item.oldKeyId());
            entry.put("reason", item.reason());
            return entry;
        }).toList());
        return result;
    }

    /** A pending deletion: its next step and date, the deletion date, and the old key's last use as IAM has it. */
    private static Map<String, Object> pending(RotationRecord record, IamDirectory directory) {
        var entry = entry(record, "stage", record.awaitsDeactivation() ? "deactivation" : "deletion");
        entry.put("nextDate", record.deleteOn().orElseThrow().toString());
        entry.put("deleteOn", record.deletionDate().orElseThrow().toString());
        entry.put("postponements", record.postponements());
        try {
            entry.put("lastUsed", directory.lastUse(record.oldKeyId()).map(KeyUse::describe).orElse("never"));
        } catch (RuntimeException e) {
            entry.put("lastUsed", "unknown: " + e.getClass().getSimpleName());
        }
        return entry;
    }

    private static Map<String, Object> entry(RotationRecord record, String field, String value) {
        var entry = new LinkedHashMap<String, Object>();
        entry.put("user", record.user());
        entry.put("keyId", record.oldKeyId());
        record.newKeyId().ifPresent(id -> entry.put("newKeyId", id));
        entry.put(field, value);
        entry.put("attempts", record.attempts());
        return entry;
    }
}
