package dev.ikr.cli.rotateself;

import dev.ikr.cli.rotateself.SelfRotationOutcome.BothKeysKept;
import dev.ikr.cli.rotateself.SelfRotationOutcome.NotUsable;
import dev.ikr.cli.rotateself.SelfRotationOutcome.OldKey;
import dev.ikr.cli.rotateself.SelfRotationOutcome.OldKeyNotRetired;
import dev.ikr.cli.rotateself.SelfRotationOutcome.Refused;
import dev.ikr.cli.rotateself.SelfRotationOutcome.RolledBack;
import dev.ikr.cli.rotateself.SelfRotationOutcome.Rotated;
import dev.ikr.domain.AccessKey;
import dev.ikr.domain.DeliveryException;
import dev.ikr.log.JsonLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code scripts/ikr rotate-self}: an IAM user replaces its own access key. Create, wait until the new key works,
 * write it to one place, then retire the old key; a new key that does not work or is not written is deleted again,
 * so the user is never left without the key its destination holds.
 *
 * <p>Which key signs what is part of the logic: the current key makes every call up to and including the write
 * (the rights the caller has), the roll-back, and the deactivation of itself (IAM checks a request's key before it
 * carries the request out, so this never depends on the new key); the new key then deletes the old one, which no
 * longer works.
 */
public final class SelfRotation {

    /** How long the new key may take to work: IAM is eventually consistent, usually a few seconds. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);
    static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);

    private static final JsonLog LOG = JsonLog.forClass(SelfRotation.class);

    private final KeySessions sessions;
    private final Clock clock;
    private final Pause pause;
    private final Duration patience;

    /** Waits between two attempts. */
    @FunctionalInterface
    public interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    public SelfRotation(KeySessions sessions, Clock clock, Pause pause, Duration patience) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pause = Objects.requireNonNull(pause, "pause");
        this.patience = Objects.requireNonNull(patience, "patience");
    }

    /** With the real clock, real sleeps and {@link #PATIENCE}. */
    public SelfRotation(KeySessions sessions) {
        this(sessions, Clock.systemUTC(), duration -> Thread.sleep(duration.toMillis()), PATIENCE);
    }

    /**
     * Replaces {@code current} (the profile's key) with a new key written to {@code destination}.
     *
     * @param keepOld leave the old key inactive instead of deleting it
     */
    public SelfRotationOutcome rotate(KeyPair current, KeyDestination destination, boolean keepOld) {
        KeySessions.KeySession asCurrent = sessions.signedWith(current);
        Optional<String> callerArn = asCurrent.callerArn();
        if (callerArn.isEmpty()) {
            return new NotUsable("AWS does not accept the profile's key " + current.accessKeyId()
                    + " (deleted, inactive or mistyped); nothing was changed");
        }
        Caller.IamUser caller;
        switch (Caller.fromArn(callerArn.get())) {
            case Caller.IamUser user -> caller = user;
            case Caller.NotAUser other -> {
                return new NotUsable("the profile's key is not an IAM user's: STS names " + other.arn() + ", "
                        + other.what() + ". Only IAM users have long-term access keys to rotate; nothing was"
                        + " changed");
            }
        }
        String user = caller.name();
        Optional<AccessKey> removed;
        switch (KeyPreparation.decide(user, asCurrent.accessKeys(user), current.accessKeyId())) {
            case KeyPreparation.Refused refused -> {
                return new Refused(refused.reason());
            }
            case KeyPreparation.Ready ready -> removed = ready.inactiveToDelete();
        }
        removed.ifPresent(key -> {
            asCurrent.deleteAccessKey(user, key.id());
            log("deleted the inactive key to make room", user, key.id());
        });

        NewKey created;
        try {
            created = asCurrent.createAccessKey(user);
        } catch (RuntimeException refused) {
            return new Refused("IAM did not create a new key for " + user + ": " + refused.getMessage()
                    + removed.map(key -> "; the inactive key " + key.id() + " was deleted before")
                            .orElse("; nothing was changed"));
        }
        log("created a new key", user, created.accessKeyId());

        Optional<String> notWorking = waitUntilItWorks(created, caller);
        if (notWorking.isPresent()) {
            return rollBack(asCurrent, created, notWorking.get());
        }

        String writtenTo;
        try {
            writtenTo = destination.write(created);
        } catch (DeliveryException failed) {
            if (failed.surelyNotWritten()) {
                return rollBack(asCurrent, created, "the new key was not written: " + failed.getMessage());
            }
            return bothKept(user, current, created, failed.getMessage());
        } catch (RuntimeException failed) {
            return bothKept(user, current, created, failed.getClass().getSimpleName() + ": " + failed.getMessage());
        }
        LOG.info("wrote the new key", Map.of("user", user, "keyId", created.accessKeyId(), "writtenTo", writtenTo));

        return retire(asCurrent, sessions.signedWith(created.pair()), new Rotated(user, current.accessKeyId(),
                created.accessKeyId(), writtenTo, OldKey.ACTIVE, removed.map(AccessKey::id)), keepOld);
    }

    /** Deactivates the old key, signed with itself; then, unless {@code keepOld}, deletes it with the new key. */
    private static SelfRotationOutcome retire(KeySessions.KeySession asOld, KeySessions.KeySession asNew,
            Rotated rotated, boolean keepOld) {
        String inPlace = "the new key " + rotated.newKeyId() + " is written to " + rotated.writtenTo()
                + " and works, but the old key " + rotated.oldKeyId() + " ";
        try {
            asOld.deactivateAccessKey(rotated.user(), rotated.oldKeyId());
        } catch (RuntimeException failed) {
            return new OldKeyNotRetired(rotated, inPlace + "is still active: deactivate and delete it by hand ("
                    + failed.getMessage() + ")");
        }
        log("deactivated the old key", rotated.user(), rotated.oldKeyId());
        if (keepOld) {
            return rotated.withOldKey(OldKey.INACTIVE);
        }
        try {
            asNew.deleteAccessKey(rotated.user(), rotated.oldKeyId());
        } catch (RuntimeException failed) {
            return new OldKeyNotRetired(rotated.withOldKey(OldKey.INACTIVE), inPlace
                    + "is only deactivated: delete it by hand (" + failed.getMessage() + ")");
        }
        log("deleted the old key", rotated.user(), rotated.oldKeyId());
        return rotated.withOldKey(OldKey.DELETED);
    }

    /**
     * Asks STS who signs with the new key until it names {@code caller}, pausing a little longer each time, for at
     * most {@link #patience}. Empty when it works; else why not.
     */
    private Optional<String> waitUntilItWorks(NewKey created, Caller.IamUser caller) {
        KeySessions.KeySession asNew = sessions.signedWith(created.pair());
        Instant deadline = clock.instant().plus(patience);
        Duration next = FIRST_PAUSE;
        String lastProblem = "AWS did not accept it";
        for (int attempt = 1; ; attempt++) {
            try {
                Optional<String> arn = asNew.callerArn();
                if (arn.isPresent() && arn.get().equals(caller.arn())) {
                    LOG.info("the new key works", Map.of("user", caller.name(), "keyId", created.accessKeyId(),
                            "attempts", attempt));
                    return Optional.empty();
                }
                if (arn.isPresent()) {
                    return Optional.of("STS names " + arn.get() + " as the new key's owner, not " + caller.arn());
                }
                lastProblem = "AWS did not accept it";
            } catch (RuntimeException failed) {
                lastProblem = failed.getClass().getSimpleName() + ": " + failed.getMessage();
            }
            if (clock.instant().plus(next).isAfter(deadline)) {
                return Optional.of("the new key did not work within " + patience.toSeconds() + " s (" + attempt
                        + " attempts; last: " + lastProblem + ")");
            }
            try {
                pause.sleep(next);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted while waiting for the new key to work");
            }
            next = next.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : next.multipliedBy(2);
        }
    }

    /** Deletes the new key, signed with the current one, which stays active. */
    private static SelfRotationOutcome rollBack(KeySessions.KeySession asCurrent, NewKey created, String reason) {
        try {
            asCurrent.deleteAccessKey(created.user(), created.accessKeyId());
        } catch (RuntimeException failed) {
            LOG.error("could not delete the new key", Map.of("user", created.user(), "keyId", created.accessKeyId(),
                    "error", failed.getClass().getSimpleName()));
            return new RolledBack(reason + "; deleting the new key " + created.accessKeyId() + " failed too ("
                    + failed.getMessage() + "): delete it by hand; the profile's key is unchanged and active");
        }
        log("deleted the new key again", created.user(), created.accessKeyId());
        return new RolledBack(reason + "; the new key " + created.accessKeyId()
                + " was deleted again, and the profile's key is unchanged and active");
    }

    private static BothKeysKept bothKept(String user, KeyPair current, NewKey created, String problem) {
        return new BothKeysKept("writing the new key " + created.accessKeyId() + " failed, and it may have been"
                + " written all the same (" + problem + "): both keys stay active; check which one the destination"
                + " holds, then delete the other (" + current.accessKeyId() + " is the profile's) with"
                + " aws iam delete-access-key --user-name " + user + " --access-key-id ...");
    }

    private static void log(String message, String user, String keyId) {
        LOG.info(message, Map.of("user", user, "keyId", keyId));
    }
}
