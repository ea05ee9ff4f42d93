package dev.ikr.rotation;

import static dev.ikr.util.Failures.describe;

import dev.ikr.domain.AccessKey;
import dev.ikr.domain.AllowedEmailDomains;
import dev.ikr.domain.IamUser;
import dev.ikr.domain.MisconfiguredUserException;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationRecord;
import dev.ikr.domain.UnverifiedRecord;
import dev.ikr.domain.UserSettings;
import dev.ikr.log.JsonLog;
import dev.ikr.port.IdentityDirectory;
import dev.ikr.port.PendingDeletions;
import dev.ikr.port.RotationConflictException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Switching from the original project: its pending deletions carry no seal, so IKR never acts on them. Adoption
 * checks each against IAM and seals those IAM corroborates, as pending deletions in favour of the user's other
 * active key; it refuses the others, and every item whose seal was broken (an IKR item changed since).
 */
public final class Adoption {

    /** What became of one unsealed item. */
    public record Result(String user, String keyId, boolean adopted, String reason, Optional<String> newKeyId) {

        public Map<String, Object> toMap() {
            var map = new LinkedHashMap<String, Object>();
            map.put("user", user);
            map.put("keyId", keyId);
            newKeyId.ifPresent(id -> map.put("newKeyId", id));
            map.put("reason", reason);
            return map;
        }
    }

    /** The whole run: adopted and refused items. */
    public record Report(boolean dryRun, List<Result> results) {

        public Report {
            results = List.copyOf(results);
        }

        public boolean anyRefused() {
            return results.stream().anyMatch(result -> !result.adopted());
        }

        public Map<String, Object> toResponse() {
            var response = new LinkedHashMap<String, Object>();
            response.put("dryRun", dryRun);
            response.put(dryRun ? "wouldAdopt" : "adopted", results.stream().filter(Result::adopted)
                    .map(Result::toMap).toList());
            response.put("refused", results.stream().filter(result -> !result.adopted()).map(Result::toMap).toList());
            return response;
        }
    }

    private static final JsonLog LOG = JsonLog.forClass(Adoption.class);

    private final IdentityDirectory directory;
    private final PendingDeletions table;
    private final AllowedEmailDomains allowedDomains;

    public Adoption(IdentityDirectory directory, PendingDeletions table, AllowedEmailDomains allowedDomains) {
        this.directory = directory;
        this.table = table;
        this.allowedDomains = allowedDomains;
    }

    public Report adopt(boolean dryRun) {
        var results = new ArrayList<Result>();
        for (UnverifiedRecord item : table.all().unverified()) {
            Result result;
            try {
                result = adoptOne(item, dryRun);
            } catch (RuntimeException e) {
                result = refused(item, "could not be checked: " + describe(e));
            }
            LOG.write(result.adopted() ? JsonLog.Level.INFO : JsonLog.Level.WARN,
                    result.adopted() ? (dryRun ? "would adopt" : "adopted") : "not adopted", result.toMap());
            results.add(result);
        }
        return new Report(dryRun, results);
    }

    private Result adoptOne(UnverifiedRecord item, boolean dryRun) {
        RotationRecord found = item.claimed();
        if (item.sealed()) {
            return refused(item, "it carries a seal that does not verify (" + item.reason() + "): an item IKR wrote"
                    + " was changed since, so it is not the original project's; delete it once you have checked it");
        }
        if (found.state() != RecordState.PENDING_DELETION || found.deleteOn().isEmpty()) {
            return refused(item, "it is not a pending deletion with a delete_on date");
        }
        Optional<IamUser> user = directory.user(found.user());
        if (user.isEmpty()) {
            return refused(item, "the user does not exist");
        }
        UserSettings settings;
        try {
            settings = UserSettings.fromTags(user.get(), allowedDomains);
        } catch (MisconfiguredUserException e) {
            return refused(item, "the user does not take part in rotation: " + e.getMessage());
        }
        List<AccessKey> keys = directory.accessKeys(found.user());
        if (keys.stream().noneMatch(key -> key.id().equals(found.oldKeyId()))) {
            return refused(item, "the user has no key " + found.oldKeyId() + " (delete the item)");
        }
        List<AccessKey> others = keys.stream().filter(key -> !key.id().equals(found.oldKeyId()))
                .filter(AccessKey::isActive).toList();
        if (others.size() != 1) {
            return refused(item, "the user has no other active key: deleting " + found.oldKeyId()
                    + " would leave it without one");
        }
        AccessKey newKey = others.getFirst();
        AccessKey oldKey = keys.stream().filter(key -> key.id().equals(found.oldKeyId())).findFirst().orElseThrow();
        if (!oldKey.createdAt().isBefore(newKey.createdAt())) {
            return refused(item, "its key " + found.oldKeyId() + " is newer than the user's other key " + newKey.id()
                    + ": a rotation replaces an older key with a newer one, so this item did not come from one");
        }
        var adopted = new RotationRecord(found.user(), found.oldKeyId(), settings.email().value(),
                RecordState.PENDING_DELETION, Optional.of(newKey.id()), found.deleteOn(), newKey.createdAt(), 0,
                Optional.empty());
        if (!dryRun) {
            try {
                table.adopt(found, adopted);
            } catch (RotationConflictException changed) {
                return refused(item, "the item changed while it was checked: run adopt again");
            }
        }
        return new Result(found.user(), found.oldKeyId(), true, "pending deletion of " + found.oldKeyId()
                + " on " + found.deleteOn().get() + ", in favour of the active key " + newKey.id(),
                Optional.of(newKey.id()));
    }

    private static Result refused(UnverifiedRecord item, String reason) {
        return new Result(item.user(), item.oldKeyId(), false, reason, Optional.empty());
    }
}
