package dev.ikr.cli;

import dev.ikr.aws.AwsClients;
import dev.ikr.domain.IamUser;
import dev.ikr.domain.MisconfiguredUserException;
import dev.ikr.domain.TagKeys;
import dev.ikr.domain.UserSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Tag;

/** {@code ikr tag-users FILE}: the original project's iam-user-tags.json, validated before anything is written. */
@Command(name = "tag-users", mixinStandardHelpOptions = true,
        description = "Tag IAM users from a JSON file in the original project's iam-user-tags.json format:"
                + " {\"user-name\": {\"IKR:EMAIL\": \"...\", \"IKR:ROTATE_AFTER_DAYS\": \"30\", ...}}."
                + " Every entry is validated (unknown user, email syntax, whole numbers of days, instruction"
                + " numbering, values of at most 256 characters) before any tag is written; one bad entry and"
                + " nothing is written. Existing IKR:* tags not in the file are kept unless --replace.",
        footer = {"", "Example:", "  scripts/ikr tag-users iam-user-tags.json --dry-run | jq '.users[] | {user, status}'"})
final class TagUsersCommand implements Callable<Integer> {

    static final int MAX_TAG_VALUE = 256;
    static final int MAX_TAG_KEY = 128;

    @Parameters(index = "0", paramLabel = "FILE", description = "The JSON file of users and their tags.")
    Path file;

    @Option(names = "--dry-run", description = "Validate and show what would change; write nothing.")
    boolean dryRun;

    @Option(names = "--replace", description = "Also remove the user's IKR:* tags that the file does not list.")
    boolean replace;

    @Override
    public Integer call() throws Exception {
        Map<String, Map<String, String>> wanted = LocalRun.readUserTags(file);
        Report report = tag(new AwsClients().iam(), wanted, dryRun, replace);
        LocalRun.print(report.output());
        return report.valid() ? 0 : IkrCli.CONFIGURATION_ERROR;
    }

    /** The outcome of tagging: whether every entry was valid, and the per-user report. */
    record Report(boolean valid, Map<String, Object> output) {
    }

    /** Validates every entry, then (unless {@code dryRun}, and only if all are valid) writes the tags. */
    static Report tag(IamClient iam, Map<String, Map<String, String>> wanted, boolean dryRun, boolean replace) {
        List<Map<String, Object>> report = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        boolean valid = true;
        for (var entry : wanted.entrySet()) {
            var line = new LinkedHashMap<String, Object>();
            line.put("user", entry.getKey());
            try {
                Change change = plan(iam, entry.getKey(), entry.getValue(), replace);
                changes.add(change);
                line.put("status", dryRun ? "would_tag" : "tagged");
                line.put("tags", change.tags());
                line.put("removed", change.removed());
            } catch (IllegalArgumentException | MisconfiguredUserException invalid) {
                valid = false;
                line.put("status", "invalid");
                line.put("reason", invalid.getMessage());
            }
            report.add(line);
        }
        if (!valid) {
            report.stream().filter(line -> !"invalid".equals(line.get("status")))
                    .forEach(line -> line.put("status", "not_written"));
        } else if (!dryRun) {
            changes.forEach(change -> apply(iam, change));
        }
        var output = new LinkedHashMap<String, Object>();
        output.put("dryRun", dryRun);
        output.put("written", valid && !dryRun);
        output.put("users", report);
        return new Report(valid, output);
    }

    private record Change(String user, Map<String, String> tags, List<String> removed) {
    }

    /** Validates one entry against the user's current tags; throws with the reason when it cannot be used. */
    private static Change plan(IamClient iam, String user, Map<String, String> tags, boolean replace) {
        if (tags == null || tags.isEmpty()) {
            throw new IllegalArgumentException("no tags given");
        }
        for (var tag : tags.entrySet()) {
            if (!TagKeys.fold(tag.getKey()).startsWith("IKR:")) {
                throw new IllegalArgumentException("tag " + tag.getKey() + " is not an IKR:* tag");
            }
            if (tag.getKey().length() > MAX_TAG_KEY) {
                throw new IllegalArgumentException("tag key " + tag.getKey() + " is longer than " + MAX_TAG_KEY);
            }
            if (tag.getValue() == null || tag.getValue().length() > MAX_TAG_VALUE) {
                throw new IllegalArgumentException("the value of " + tag.getKey() + " must have 0 to " + MAX_TAG_VALUE
                        + " characters (split long instructions over IKR:INSTRUCTION_0, _1, ...)");
            }
        }
        Map<String, String> current;
        try {
            current = new LinkedHashMap<>();
            for (Tag tag : iam.listUserTagsPaginator(request -> request.userName(user)).tags()) {
                current.put(tag.key(), tag.value());
            }
        } catch (NoSuchEntityException unknown) {
            throw new IllegalArgumentException("no IAM user is named " + user);
        }
        // IKR matches tag keys with ASCII case folding only (TagKeys): a look-alike key is not one of IKR's
        var foldedWanted = tags.keySet().stream().map(TagKeys::fold).toList();
        List<String> removed = replace ? current.keySet().stream()
                .filter(key -> TagKeys.fold(key).startsWith("IKR:"))
                .filter(key -> !foldedWanted.contains(TagKeys.fold(key)))
                .toList() : List.of();
        var result = new LinkedHashMap<String, String>();
        current.forEach((key, value) -> {
            if (!removed.contains(key) && !foldedWanted.contains(TagKeys.fold(key))) {
                result.put(key, value);
            }
        });
        result.putAll(tags);
        UserSettings.fromTags(new IamUser(user, result));
        return new Change(user, tags, removed);
    }

    private static void apply(IamClient iam, Change change) {
        List<Tag> tags = change.tags().entrySet().stream()
                .map(tag -> Tag.builder().key(tag.getKey()).value(tag.getValue()).build()).toList();
        // IAM tag keys are case-insensitive: remove an existing key spelled differently before writing the new one
        var existing = iam.listUserTagsPaginator(request -> request.userName(change.user())).tags().stream()
                .map(Tag::key).toList();
        var respelled = new ArrayList<String>(change.removed());
        for (String key : existing) {
            boolean sameKeyOtherCase = change.tags().keySet().stream()
                    .anyMatch(wanted -> TagKeys.fold(wanted).equals(TagKeys.fold(key)) && !wanted.equals(key));
            if (sameKeyOtherCase) {
                respelled.add(key);
            }
        }
        if (!respelled.isEmpty()) {
            iam.untagUser(request -> request.userName(change.user()).tagKeys(respelled));
        }
        iam.tagUser(request -> request.userName(change.user()).tags(tags));
    }
}
