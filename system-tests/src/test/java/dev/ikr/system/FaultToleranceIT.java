package dev.ikr.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ikr.aws.AwsClients;
import dev.ikr.cli.Expiry;
import dev.ikr.cli.StreamEvents;
import dev.ikr.cli.TableStream;
import dev.ikr.config.DestructorConfig;
import dev.ikr.config.RotatorConfig;
import dev.ikr.destructor.DestructorHandler;
import dev.ikr.domain.KmsKeyRecord;
import dev.ikr.local.LocalContext;
import dev.ikr.rotator.RotationRunFailedException;
import dev.ikr.rotator.RotatorHandler;
import dev.ikr.testbed.FaultProxy.Exchange;
import dev.ikr.testbed.FaultProxy.Fault;
import dev.ikr.testbed.FaultProxy;
import dev.ikr.testbed.LogCapture;
import dev.ikr.testbed.Moto;
import dev.ikr.testbed.MotoExtension;
import dev.ikr.testbed.SecretRecorder;
import dev.ikr.testbed.TestAccount;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/**
 * Every AWS call of the rotator and the destructor, failing on the wire in every way AWS fails (a 5xx,
 * throttling that outlasts the SDK's retries, a stall past the timeout, a reply lost after AWS acted),
 * followed by runs without faults. Whatever failed, every user keeps a working key that was delivered,
 * no key is deleted that IKR did not schedule or before its date, nothing stays stuck, and no secret
 * leaks. The calls are the {@link Call} enum; {@link #everyCallTheFunctionsMake_isAFaultCase()} fails when
 * the functions start making a call that has no case.
 */
@ExtendWith(MotoExtension.class)
class FaultToleranceIT {

    /**
     * While the fault is on, a stalled attempt is abandoned after this, and a call with its retries after
     * {@link #CALL_TIMEOUT}: 5xx and throttling outlast the retries that fit in it, a stall outlasts both.
     */
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(250);
    private static final Duration CALL_TIMEOUT = Duration.ofMillis(500);
    /** The runs without faults get more room, so that a slow moto answer is not one more fault. */
    private static final Duration STEADY_ATTEMPT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration STEADY_CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern XML_FIELD = Pattern.compile("<(UserName|AccessKeyId|SecretAccessKey)>([^<]+)</");
    private static final List<String> DUE_USERS = List.of("alice", "bob");
    /** Rotated ten days before the run: its old key's deletion is due, for the destructor's path. */
    private static final String DELETION_DUE_USER = "carol";
    /** Rotated with the due users, in two stages: its old key is deactivated before it is deleted. */
    private static final String TWO_STAGE_USER = "dora";
    private static final int MAX_DELETE_ATTEMPTS = DestructorConfig.DEFAULT_MAX_DELETE_ATTEMPTS;

    /** Which function makes a call. */
    enum Phase { ROTATOR, DESTRUCTOR }

    /**
     * Each AWS call the functions make, as the call counter names it, with what singles it out when one
     * operation serves several steps. A new call needs a constant here, or
     * {@link #everyCallTheFunctionsMake_isAFaultCase()} fails.
     */
    enum Call {
        ROTATOR_GET_ACCOUNT_AUTHORIZATION_DETAILS(Phase.ROTATOR, "iam:GetAccountAuthorizationDetails"),
        ROTATOR_SCAN(Phase.ROTATOR, "dynamodb:Scan"),
        /** The MAC key of the table's items, decrypted to check them (once per run). */
        ROTATOR_DECRYPT(Phase.ROTATOR, "kms:Decrypt"),
        /** The MAC key's parameter, read before the first item is sealed (once per run). */
        ROTATOR_GET_PARAMETER(Phase.ROTATOR, "ssm:GetParameter"),
        /** The credential report, which spares listing the keys of users surely not due. */
        ROTATOR_GENERATE_CREDENTIAL_REPORT(Phase.ROTATOR, "iam:GenerateCredentialReport"),
        ROTATOR_GET_CREDENTIAL_REPORT(Phase.ROTATOR, "iam:GetCredentialReport"),
        ROTATOR_LIST_ACCESS_KEYS(Phase.ROTATOR, "iam:ListAccessKeys"),
        /** The intent, written before a key is created. */
        ROTATOR_PUT_ITEM(Phase.ROTATOR, "dynamodb:PutItem", body -> !body.contains("new_ak")),
        ROTATOR_CREATE_ACCESS_KEY(Phase.ROTATOR, "iam:CreateAccessKey"),
        /** Notes the new key's id on the intent (the whole item, sealed again). */
        ROTATOR_PUT_ITEM_NEW_KEY(Phase.ROTATOR, "dynamodb:PutItem",
                body -> body.contains("new_ak") && !body.contains("delete_on")),
        ROTATOR_PUT_PARAMETER(Phase.ROTATOR, "ssm:PutParameter"),
        ROTATOR_LIST_ACCOUNT_ALIASES(Phase.ROTATOR, "iam:ListAccountAliases"),
        ROTATOR_SEND_EMAIL(Phase.ROTATOR, "ses:SendEmail"),
        /** Turns the intent into a pending deletion, after the mail. */
        ROTATOR_PUT_ITEM_SCHEDULE(Phase.ROTATOR, "dynamodb:PutItem", body -> body.contains("delete_on")),
        /** The MAC key, decrypted to check the expired item's seal. */
        DESTRUCTOR_DECRYPT(Phase.DESTRUCTOR, "kms:Decrypt"),
        /** The user's tags: the item is acted on only if the user still carries IKR:EMAIL. */
        DESTRUCTOR_GET_USER(Phase.DESTRUCTOR, "iam:GetUser"),
        DESTRUCTOR_LIST_ACCESS_KEYS(Phase.DESTRUCTOR, "iam:ListAccessKeys"),
        /** The in-use guard: the old key's last use, before it is deleted (deactivated, in two stages). */
        DESTRUCTOR_GET_ACCESS_KEY_LAST_USED(Phase.DESTRUCTOR, "iam:GetAccessKeyLastUsed"),
        DESTRUCTOR_DELETE_ACCESS_KEY(Phase.DESTRUCTOR, "iam:DeleteAccessKey"),
        /** Which rotation the decryption key belongs to, before it is deleted. */
        DESTRUCTOR_GET_PARAMETER_HISTORY(Phase.DESTRUCTOR, "ssm:GetParameterHistory"),
        DESTRUCTOR_DELETE_PARAMETER(Phase.DESTRUCTOR, "ssm:DeleteParameter"),
        DESTRUCTOR_LIST_ACCOUNT_ALIASES(Phase.DESTRUCTOR, "iam:ListAccountAliases"),
        DESTRUCTOR_SEND_EMAIL(Phase.DESTRUCTOR, "ses:SendEmail"),
        /** The MAC key's parameter, to seal what the destructor writes. */
        DESTRUCTOR_GET_PARAMETER(Phase.DESTRUCTOR, "ssm:GetParameter"),
        /** Where the new key went, remembered once the old key is gone (for a later change of address). */
        DESTRUCTOR_PUT_ITEM_DELIVERY(Phase.DESTRUCTOR, "dynamodb:PutItem", body -> body.contains("#delivered")),
        /** Writing a record back for a retry: only happens when IAM fails too, so IAM's deletion fails with it. */
        DESTRUCTOR_PUT_ITEM_REQUEUE(Phase.DESTRUCTOR, "dynamodb:PutItem", body -> !body.contains("#delivered"),
                Optional.of("iam:DeleteAccessKey"));

        final Phase phase;
        final String operation;
        final Predicate<String> whenBody;
        /** A call that must fail (with a 5xx) for this one to be made at all. */
        final Optional<String> alsoFailing;

        Call(Phase phase, String operation) {
            this(phase, operation, body -> true);
        }

        Call(Phase phase, String operation, Predicate<String> whenBody) {
            this(phase, operation, whenBody, Optional.empty());
        }

        Call(Phase phase, String operation, Predicate<String> whenBody, Optional<String> alsoFailing) {
            this.phase = phase;
            this.operation = operation;
            this.whenBody = whenBody;
            this.alsoFailing = alsoFailing;
        }

        static Set<String> operations(Phase phase) {
            return Arrays.stream(values()).filter(call -> call.phase == phase).map(call -> call.operation)
                    .collect(Collectors.toSet());
        }

        /** The calls a run without any fault makes. */
        static Set<String> operationsWithoutFaults(Phase phase) {
            return Arrays.stream(values()).filter(call -> call.phase == phase && call.alsoFailing.isEmpty())
                    .map(call -> call.operation).collect(Collectors.toSet());
        }
    }

    /**
     * Cases that fail today because of a bug: skipped here, each names the {@code @Disabled} test that shows
     * the bug. Remove the entry with the fix.
     */
    private static final Map<Call, Map<Fault, String>> KNOWN_BUGS = Map.of();

    private static FaultProxy proxy;
    /** Verifies and seeds straight against moto, past the proxy; so does the TTL's stand-in. */
    private static final TestAccount account = new TestAccount(Moto.shared());
    private static final AwsClients direct = new AwsClients();

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    private final Instant runAt = Instant.now().plus(Duration.ofDays(100));
    private final Map<String, String> originalKeys = new LinkedHashMap<>();
    private final Set<String> keysCreatedBeforeTheRun = new HashSet<>();
    private final List<String> responses = new ArrayList<>();
    private final List<Deletion> deletions = new ArrayList<>();
    private final List<Map<String, AttributeValue>> itemsSeen = new ArrayList<>();
    /** The functions' clients, through the proxy: short timeouts while a fault is on, longer ones otherwise. */
    private AwsClients faulty;
    private AwsClients steady;
    private Instant lastRun;
    private List<TestAccount.SentMail> mails = List.of();
    /** {@code ROTATE_KMS_KEYS} in the KMS keys' cases. */
    private Map<String, String> kmsVariables = Map.of();

    /** A key moto deleted at IKR's request, at the time the functions saw, with the table as it was before that run. */
    private record Deletion(String user, String keyId, Instant at, List<Map<String, AttributeValue>> tableBefore) {
    }

    @BeforeAll
    static void startProxy() {
        proxy = FaultProxy.start(Moto.shared().endpoint());
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    @BeforeEach
    void setUp() {
        proxy.heal();
        proxy.clearExchanges();
        faulty = proxy.clients(() -> AwsClients.withTimeouts(ATTEMPT_TIMEOUT, CALL_TIMEOUT, List.of()));
        steady = proxy.clients(() -> AwsClients.withTimeouts(STEADY_ATTEMPT_TIMEOUT, STEADY_CALL_TIMEOUT, List.of()));
        account.createTable().verifySender();
    }

    @AfterEach
    void heal() {
        proxy.heal();
    }

    static Stream<Arguments> cases() {
        return Arrays.stream(Call.values())
                .flatMap(call -> EnumSet.allOf(Fault.class).stream().map(fault -> Arguments.of(call, fault)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void everyUserKeepsADeliveredWorkingKey_andNothingIsLostOrStuck_whenOneCallFails(Call call, Fault fault) {
        String knownBug = KNOWN_BUGS.getOrDefault(call, Map.of()).get(fault);
        assumeTrue(knownBug == null, () -> "a known bug, shown by the @Disabled test " + knownBug);
        seedAccount();

        runWithFault(call, fault);

        assertThat(proxy.exchanges()).as("the case made %s fail", call.operation)
                .anyMatch(exchange -> exchange.operation().equals(call.operation) && exchange.fault().isPresent());
        assertInvariants();
    }

    /**
     * A rotation, then an expiry, each with the fault on if the call is theirs; then the same without
     * faults: a second rotation, the stream's redelivery of what the destructor asked back, and expiries
     * until nothing is due.
     */
    private void runWithFault(Call call, Fault fault) {
        inPhase(call, fault, Phase.ROTATOR, clients -> rotate(runAt, clients));
        rotate(runAt.plus(Duration.ofHours(1)), steady);
        expireWithoutFaults(inPhase(call, fault, Phase.DESTRUCTOR,
                clients -> expire(runAt.plus(Duration.ofDays(6)), clients)));
    }

    /** The stream's redelivery of what the destructor asked back, then expiries until nothing is due. */
    private void expireWithoutFaults(List<String> askedBack) {
        Instant retryAt = runAt.plus(Duration.ofDays(6)).plus(Duration.ofMinutes(10));
        redeliver(askedBack, retryAt);
        for (int round = 0; round < 3 && anyDeletionDue(retryAt); round++) {
            assertThat(expire(retryAt, steady)).as("a run without faults asks the stream for nothing").isEmpty();
            retryAt = retryAt.plus(Duration.ofMinutes(10));
        }
    }

    private void assertInvariants() {
        mails = account.sentMails();
        assertEveryUserHasADeliveredWorkingKey();
        assertEveryKeyIkrCreatedWasDeliveredOrIsGone();
        assertNoKeyWasDeletedUnscheduledOrEarly();
        assertNothingIsStuck_andEveryRotationCompleted();
        assertNoSecretLeaked();
    }

    @Test
    void everyCallTheFunctionsMake_isAFaultCase() {
        seedAccount();

        Map<Phase, Set<String>> calls = callsOfARotationAndAnExpiryWithoutFaults();
        Set<String> rotatorCalls = calls.get(Phase.ROTATOR);
        Set<String> destructorCalls = calls.get(Phase.DESTRUCTOR);

        assertThat(Call.operations(Phase.ROTATOR)).as("the rotator's calls with a fault case")
                .containsAll(rotatorCalls);
        assertThat(Call.operations(Phase.DESTRUCTOR)).as("the destructor's calls with a fault case")
                .containsAll(destructorCalls);
        assertThat(rotatorCalls).as("the rotator still makes every call it has a case for")
                .containsAll(Call.operationsWithoutFaults(Phase.ROTATOR));
        assertThat(destructorCalls).as("the destructor still makes every call it has a case for")
                .containsAll(Call.operationsWithoutFaults(Phase.DESTRUCTOR));
        assertThat(proxy.exchanges()).extracting(Exchange::operation)
                .as("the proxy names the calls as the counter does")
                .containsExactlyInAnyOrderElementsOf(counted(steady.callCounter().snapshot()));
    }

    /** The operations a rotation and then an expiry make, each counted as the call counter names them. */
    private Map<Phase, Set<String>> callsOfARotationAndAnExpiryWithoutFaults() {
        Map<String, Long> before = steady.callCounter().snapshot();
        rotate(runAt, steady);
        Set<String> rotatorCalls = steady.callCounter().since(before).keySet();
        before = steady.callCounter().snapshot();
        assertThat(expire(runAt.plus(Duration.ofDays(6)), steady)).isEmpty();
        return Map.of(Phase.ROTATOR, rotatorCalls, Phase.DESTRUCTOR, steady.callCounter().since(before).keySet());
    }

    /**
     * The deactivation of a two-stage rotation ({@code IKR:DEACTIVATE_AFTER_DAYS}) failing in each way: the matrix's
     * own users are single-stage, so {@code iam:UpdateAccessKey} has its cases here, with a user rotated in two
     * stages beside them.
     */
    @ParameterizedTest(name = "iam:UpdateAccessKey {0}")
    @EnumSource(Fault.class)
    void aDeactivationThatFails_isFinishedLater_andEveryUserKeepsADeliveredWorkingKey(Fault fault) {
        seedAccount();
        account.createUser(TWO_STAGE_USER, Map.of("IKR:EMAIL", TWO_STAGE_USER + "@example.com",
                "IKR:DEACTIVATE_AFTER_DAYS", "2"));
        originalKeys.put(TWO_STAGE_USER, account.createKey(TWO_STAGE_USER));
        rotate(runAt, steady);

        proxy.fail("iam:UpdateAccessKey", body -> true, fault);
        List<String> askedBack;
        try {
            askedBack = expire(runAt.plus(Duration.ofDays(3)), faulty);
        } finally {
            proxy.heal();
        }
        expireWithoutFaults(askedBack);

        assertThat(proxy.exchanges()).as("the case made iam:UpdateAccessKey fail")
                .anyMatch(exchange -> exchange.operation().equals("iam:UpdateAccessKey") && exchange.fault().isPresent());
        assertThat(account.keyIds(TWO_STAGE_USER)).as("the old key went in the end")
                .doesNotContain(originalKeys.get(TWO_STAGE_USER));
        assertInvariants();
    }

    @ParameterizedTest(name = "reply lost on {0} attempt(s)")
    @ValueSource(ints = {1, Integer.MAX_VALUE})
    void createAccessKeyWhoseReplyIsLost_leavesNoUndeliveredKey_andTheNextRunRotates(int lostReplies) {
        seedAccount();

        proxy.fail("iam:CreateAccessKey", body -> true, Fault.LOST_REPLY, lostReplies);
        try {
            rotate(runAt, faulty);
        } finally {
            proxy.heal();
        }
        rotate(runAt.plus(Duration.ofHours(1)), steady);
        expireWithoutFaults(expire(runAt.plus(Duration.ofDays(6)), steady));

        assertInvariants();
    }

    // --- KMS keys (ROTATE_KMS_KEYS) ------------------------------------------------------------------

    private static final String KMS_OWNER = "keys@example.com";
    private static final String KMS_ALIAS = "alias/app-signing";
    private static final Pattern KMS_KEY_ID = Pattern.compile("\"KeyId\":\\s*\"([^\"]+)\"");
    private static final Pattern PEM = Pattern.compile("-----BEGIN PUBLIC KEY-----(.*?)-----END PUBLIC KEY-----",
            Pattern.DOTALL);

    /**
     * Each KMS call of the KMS keys' rotation and retirement (and the write of the old key's retirement date, whose
     * lost reply has a path of its own), with the one way it fails in its case: a 5xx or throttling for a read, a
     * stall for a call whose answer a step waits for, a lost reply for a call that changes something (KMS or the
     * table acted, IKR never heard). The table's other writes and the mail are the access keys' calls, whose cases
     * cover every fault. A new KMS call needs a constant here, or {@link #everyCallOfTheKmsKeysRotation_isAFaultCase()}
     * fails.
     */
    enum KmsCall {
        ROTATOR_LIST_KEYS(Phase.ROTATOR, "kms:ListKeys", Fault.THROTTLING),
        ROTATOR_LIST_ALIASES(Phase.ROTATOR, "kms:ListAliases", body -> !body.contains("KeyId"), Fault.STALL),
        ROTATOR_DESCRIBE_KEY(Phase.ROTATOR, "kms:DescribeKey", Fault.SERVER_ERROR),
        ROTATOR_LIST_RESOURCE_TAGS(Phase.ROTATOR, "kms:ListResourceTags", Fault.SERVER_ERROR),
        ROTATOR_GET_KEY_POLICY(Phase.ROTATOR, "kms:GetKeyPolicy", Fault.STALL),
        /** Created, but IKR never learns its id: the next run finds it by its IKR:ROTATED_FROM tag. */
        ROTATOR_CREATE_KEY(Phase.ROTATOR, "kms:CreateKey", Fault.LOST_REPLY),
        /** Moved, but IKR never heard: the roll-back asks KMS which aliases point at the new key. */
        ROTATOR_UPDATE_ALIAS(Phase.ROTATOR, "kms:UpdateAlias", Fault.LOST_REPLY),
        ROTATOR_GET_PUBLIC_KEY(Phase.ROTATOR, "kms:GetPublicKey", Fault.THROTTLING),
        /** The old key's retirement date: written, but IKR never heard (it reads the item back). */
        ROTATOR_PUT_ITEM_SCHEDULE(Phase.ROTATOR, "dynamodb:PutItem",
                body -> body.contains(KmsKeyRecord.KIND) && body.contains("delete_on"), Fault.LOST_REPLY),
        /** The new key's withdrawal, after an alias could not be moved: the intent stays for the next run. */
        ROTATOR_SCHEDULE_KEY_DELETION(Phase.ROTATOR, "kms:ScheduleKeyDeletion", body -> true, Fault.SERVER_ERROR,
                Optional.of("kms:UpdateAlias")),
        DESTRUCTOR_LIST_ALIASES(Phase.DESTRUCTOR, "kms:ListAliases", Fault.SERVER_ERROR),
        DESTRUCTOR_DESCRIBE_KEY(Phase.DESTRUCTOR, "kms:DescribeKey", Fault.THROTTLING),
        DESTRUCTOR_LIST_RESOURCE_TAGS(Phase.DESTRUCTOR, "kms:ListResourceTags", Fault.STALL),
        DESTRUCTOR_DISABLE_KEY(Phase.DESTRUCTOR, "kms:DisableKey", Fault.LOST_REPLY),
        DESTRUCTOR_SCHEDULE_KEY_DELETION(Phase.DESTRUCTOR, "kms:ScheduleKeyDeletion", Fault.LOST_REPLY);

        final Phase phase;
        final String operation;
        final Predicate<String> whenBody;
        final Fault fault;
        final Optional<String> alsoFailing;

        KmsCall(Phase phase, String operation, Fault fault) {
            this(phase, operation, body -> true, fault);
        }

        KmsCall(Phase phase, String operation, Predicate<String> whenBody, Fault fault) {
            this(phase, operation, whenBody, fault, Optional.empty());
        }

        KmsCall(Phase phase, String operation, Predicate<String> whenBody, Fault fault, Optional<String> alsoFailing) {
            this.phase = phase;
            this.operation = operation;
            this.whenBody = whenBody;
            this.fault = fault;
            this.alsoFailing = alsoFailing;
        }

        static Set<String> operations(Phase phase, boolean withoutFaultsOnly) {
            return Arrays.stream(values()).filter(call -> call.phase == phase
                    && (!withoutFaultsOnly || call.alsoFailing.isEmpty())).map(call -> call.operation)
                    .collect(Collectors.toSet());
        }
    }

    /**
     * A KMS key due for rotation; two rotator runs, each with one call failing, then one without faults; an expiry with
     * one destructor call failing, then expiries without faults. The alias always ends at a key whose public key its
     * owner was mailed, every other key IKR created is pending deletion, only the old key is retired, and only after its
     * date. Each case puts faults in three independent runs, so that the matrix covers every KMS call in few cases.
     */
    @ParameterizedTest(name = "{0}, then {1}, then {2}")
    @MethodSource("kmsCases")
    void theAliasAlwaysPointsAtAKeyItsOwnerWasToldOf_andEveryOtherKeyIkrMadeIsWithdrawn_whenKmsCallsFail(
            KmsCall firstRun, KmsCall secondRun, KmsCall expiry) {
        String original = seedKmsKey();

        kmsPhase(firstRun, clients -> rotate(runAt, clients));
        kmsPhase(secondRun, clients -> rotate(runAt.plus(Duration.ofHours(1)), clients));
        rotate(runAt.plus(Duration.ofHours(2)), steady);
        int retirementsFrom = proxy.exchanges().size();
        expireWithoutFaults(kmsPhase(expiry, clients -> expire(runAt.plus(Duration.ofDays(6)), clients)));

        for (KmsCall call : List.of(firstRun, secondRun, expiry)) {
            assertThat(proxy.exchanges()).as("the case made %s fail", call.operation).anyMatch(exchange ->
                    exchange.operation().equals(call.operation) && exchange.fault().isPresent());
        }
        assertKmsInvariants(original, retirementsFrom);
    }

    /**
     * Every KMS call once. The first run's fault leaves the key unrotated (a read, or a failure before the aliases
     * move), so the second run reaches its own faulty call.
     */
    static final List<List<KmsCall>> KMS_CASES = List.of(
            List.of(KmsCall.ROTATOR_LIST_KEYS, KmsCall.ROTATOR_CREATE_KEY, KmsCall.DESTRUCTOR_LIST_ALIASES),
            List.of(KmsCall.ROTATOR_LIST_ALIASES, KmsCall.ROTATOR_UPDATE_ALIAS, KmsCall.DESTRUCTOR_DESCRIBE_KEY),
            List.of(KmsCall.ROTATOR_DESCRIBE_KEY, KmsCall.ROTATOR_GET_PUBLIC_KEY,
                    KmsCall.DESTRUCTOR_LIST_RESOURCE_TAGS),
            List.of(KmsCall.ROTATOR_LIST_RESOURCE_TAGS, KmsCall.ROTATOR_PUT_ITEM_SCHEDULE,
                    KmsCall.DESTRUCTOR_DISABLE_KEY),
            List.of(KmsCall.ROTATOR_GET_KEY_POLICY, KmsCall.ROTATOR_SCHEDULE_KEY_DELETION,
                    KmsCall.DESTRUCTOR_SCHEDULE_KEY_DELETION));

    static Stream<Arguments> kmsCases() {
        return KMS_CASES.stream().map(calls -> Arguments.of(calls.toArray()));
    }

    @Test
    void everyCallOfTheKmsKeysRotation_isAFaultCase() {
        seedKmsKey();

        Map<Phase, Set<String>> calls = callsOfARotationAndAnExpiryWithoutFaults();
        assertThat(KMS_CASES.stream().flatMap(List::stream)).as("every KMS call fails in a case")
                .containsExactlyInAnyOrder(KmsCall.values());
        for (Phase phase : Phase.values()) {
            Set<String> made = calls.get(phase);
            Set<String> cases = new HashSet<>(Call.operations(phase));
            cases.addAll(KmsCall.operations(phase, false));
            assertThat(cases).as("the %s's calls with a fault case", phase).containsAll(made);
            assertThat(made).as("the %s still makes every KMS call it has a case for", phase)
                    .containsAll(KmsCall.operations(phase, true));
        }
    }

    /**
     * An ECC signing key of an owner (KMS makes them fastest), due after 30 days (so at {@link #runAt}), with one alias;
     * and the table's MAC key, as an earlier run would have made it.
     */
    private String seedKmsKey() {
        kmsVariables = Map.of("ROTATE_KMS_KEYS", "true");
        account.sealOf(new dev.ikr.domain.RotationRecord("seed", "seed", KMS_OWNER,
                dev.ikr.domain.RecordState.NEEDS_ATTENTION, Optional.empty(), Optional.empty(), runAt, 0,
                Optional.empty()));
        var kms = direct.kms();
        String id = kms.createKey(request -> request.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY)
                .tags(tag -> tag.tagKey("IKR:EMAIL").tagValue(KMS_OWNER),
                        tag -> tag.tagKey("IKR:ROTATE_AFTER_DAYS").tagValue("30"))).keyMetadata().keyId();
        kms.createAlias(request -> request.aliasName(KMS_ALIAS).targetKeyId(id));
        return id;
    }

    private <T> T kmsPhase(KmsCall call, Function<AwsClients, T> run) {
        return withFault(call.operation, call.whenBody, call.fault, call.alsoFailing, run);
    }

    private void assertKmsInvariants(String original, int retirementsFrom) {
        var kms = direct.kms();
        String target = kms.listAliases().aliases().stream().filter(alias -> alias.aliasName().equals(KMS_ALIAS))
                .findFirst().orElseThrow().targetKeyId();
        Set<String> created = new HashSet<>();
        for (Exchange exchange : proxy.exchanges()) {
            if (exchange.operation().equals("kms:CreateKey") && exchange.motoSucceeded()) {
                created.add(keyIdIn(exchange.motoBody()));
            }
        }
        // (1) the rotation completed: the alias points at an enabled key IKR made, whose public key the owner got
        assertThat(target).as("the alias's key").isNotEqualTo(original).isIn(created);
        assertThat(kms.describeKey(request -> request.keyId(target)).keyMetadata().keyStateAsString())
                .isEqualTo("Enabled");
        byte[] publicKey = kms.getPublicKey(request -> request.keyId(target)).publicKey().asByteArray();
        assertThat(account.sentMailsTo(KMS_OWNER)).as("a mail with the alias's key's public key").anySatisfy(mail -> {
            Matcher pem = PEM.matcher(mail.body());
            assertThat(pem.find()).isTrue();
            assertThat(Base64.getMimeDecoder().decode(pem.group(1).replaceAll("<[^>]*>", "").strip()))
                    .isEqualTo(publicKey);
        });
        // (2) every other key IKR made is withdrawn
        for (String other : created) {
            if (!other.equals(target)) {
                assertThat(kms.describeKey(request -> request.keyId(other)).keyMetadata().keyStateAsString())
                        .as("key %s, made but not the alias's", other).isEqualTo("PendingDeletion");
            }
        }
        // (3) only keys IKR made, or the old key once its date came (the expiry's runs), were disabled or scheduled
        List<Exchange> exchanges = proxy.exchanges();
        for (int i = 0; i < exchanges.size(); i++) {
            Exchange exchange = exchanges.get(i);
            if ((exchange.operation().equals("kms:DisableKey") || exchange.operation().equals("kms:ScheduleKeyDeletion"))
                    && exchange.motoSucceeded()) {
                String keyId = keyIdIn(exchange.requestBody());
                assertThat(created.contains(keyId) || keyId.equals(original) && i >= retirementsFrom)
                        .as("%s of key %s (exchange %d)", exchange.operation(), keyId, i).isTrue();
            }
        }
        // (4) nothing is stuck: the old key is retired and no item of it is left
        assertThat(kms.describeKey(request -> request.keyId(original)).keyMetadata().keyStateAsString())
                .isEqualTo("PendingDeletion");
        assertThat(account.items()).noneMatch(item -> item.containsKey("kind"));
    }

    private static String keyIdIn(String json) {
        Matcher matcher = KMS_KEY_ID.matcher(json);
        if (!matcher.find()) {
            throw new AssertionError("no KeyId in " + json);
        }
        return matcher.group(1);
    }

    // --- the account and the runs ------------------------------------------------------------------

    /**
     * Two users whose only key is due at {@link #runAt}, and one rotated ten days earlier (directly
     * against moto) whose old key's deletion is due by the destructor's run.
     */
    private void seedAccount() {
        account.createUser(DELETION_DUE_USER, Map.of("IKR:EMAIL", DELETION_DUE_USER + "@example.com"));
        originalKeys.put(DELETION_DUE_USER, account.createKey(DELETION_DUE_USER));
        Instant earlier = runAt.minus(Duration.ofDays(10));
        new RotatorHandler(RotatorConfig.from(env()), direct, clockAt(earlier))
                .handleRequest(Map.of(), context());
        keysCreatedBeforeTheRun.addAll(account.keyIds(DELETION_DUE_USER));
        keysCreatedBeforeTheRun.remove(originalKeys.get(DELETION_DUE_USER));
        assertThat(keysCreatedBeforeTheRun).hasSize(1);
        for (String user : DUE_USERS) {
            account.createUser(user, Map.of("IKR:EMAIL", user + "@example.com"));
            originalKeys.put(user, account.createKey(user));
        }
        itemsSeen.addAll(account.items());
    }

    /** Runs {@code run} with the faulty clients and the case's fault on if the call is {@code phase}'s. */
    private <T> T inPhase(Call call, Fault fault, Phase phase, Function<AwsClients, T> run) {
        if (call.phase != phase) {
            return run.apply(steady);
        }
        return withFault(call.operation, call.whenBody, fault, call.alsoFailing, run);
    }

    /** Runs {@code run} with the faulty clients, {@code operation} failing (and {@code alsoFailing} with a 5xx). */
    private <T> T withFault(String operation, Predicate<String> whenBody, Fault fault, Optional<String> alsoFailing,
            Function<AwsClients, T> run) {
        alsoFailing.ifPresent(other -> proxy.fail(other, Fault.SERVER_ERROR));
        proxy.fail(operation, whenBody, fault);
        try {
            return run.apply(faulty);
        } finally {
            proxy.heal();
        }
    }

    private boolean rotate(Instant at, AwsClients clients) {
        return recordingDeletions(at, List.of(), () -> {
            try {
                responses.add(JSON.writeValueAsString(new RotatorHandler(RotatorConfig.from(env()), clients,
                        clockAt(at)).handleRequest(Map.of(), context())));
            } catch (RotationRunFailedException failedUsers) {
                responses.add(failedUsers.getMessage());
                responses.add(String.valueOf(failedUsers.summary()));
            } catch (IOException e) {
                throw new AssertionError(e);
            } catch (RuntimeException runFailed) {
                // e.g. the users could not be listed: the run ends in error and the next run starts over
                responses.add(String.valueOf(runFailed));
            }
            return true;
        });
    }

    /** The TTL's run: expires due deletions and feeds them to the destructor; returns the records it asked back. */
    @SuppressWarnings("unchecked")
    private List<String> expire(Instant at, AwsClients clients) {
        return recordingDeletions(at, List.of(), () -> {
            Map<String, Object> result = new Expiry(direct, TestAccount.TABLE).run(at, destructor(at, clients),
                    context());
            responses.add(String.valueOf(result));
            return (List<String>) result.get("batchItemFailures");
        });
    }

    /** Delivers the records the destructor asked back again, as the stream does, once the fault is over. */
    private void redeliver(List<String> sequenceNumbers, Instant at) {
        if (sequenceNumbers.isEmpty()) {
            return;
        }
        var tableStream = new TableStream(direct, TestAccount.TABLE);
        String stream = tableStream.arn();
        List<Record> records = tableStream.records(stream).stream()
                .filter(record -> sequenceNumbers.contains(record.dynamodb().sequenceNumber())).toList();
        assertThat(records).as("the records the destructor asked back").hasSameSizeAs(sequenceNumbers);
        List<Map<String, AttributeValue>> removedItems = records.stream().map(record -> record.dynamodb().oldImage())
                .toList();
        recordingDeletions(at, removedItems, () -> {
            StreamsEventResponse response = destructor(at, steady)
                    .handleRequest(StreamEvents.event(records, stream, true), context());
            responses.add(String.valueOf(response));
            assertThat(response.getBatchItemFailures()).isEmpty();
            return true;
        });
    }

    /**
     * Runs a function at {@code at}, noting the keys moto deleted for it and the schedules it started from: the
     * table's items, and the items the TTL already removed whose records it is given again.
     */
    private <T> T recordingDeletions(Instant at, List<Map<String, AttributeValue>> redelivered, Supplier<T> run) {
        List<Map<String, AttributeValue>> before = new ArrayList<>(account.items());
        before.addAll(redelivered);
        itemsSeen.addAll(before);
        int from = proxy.exchanges().size();
        try {
            return run.get();
        } finally {
            lastRun = at;
            List<Exchange> exchanges = proxy.exchanges();
            for (Exchange exchange : exchanges.subList(from, exchanges.size())) {
                if (exchange.operation().equals("iam:DeleteAccessKey") && exchange.motoSucceeded()) {
                    deletions.add(new Deletion(formField(exchange.requestBody(), "UserName"),
                            formField(exchange.requestBody(), "AccessKeyId"), at, before));
                }
            }
        }
    }

    private boolean anyDeletionDue(Instant at) {
        return account.items().stream().anyMatch(item -> item.get("state").s().equals("pending_deletion")
                && Long.parseLong(item.get("delete_on").n()) <= at.getEpochSecond());
    }

    private DestructorHandler destructor(Instant at, AwsClients clients) {
        return new DestructorHandler(DestructorConfig.from(env()), clients, clockAt(at));
    }

    // --- the invariants ------------------------------------------------------------------------------

    /** (1) Every user has an active key that is its original one or was mailed to its owner. */
    private void assertEveryUserHasADeliveredWorkingKey() {
        for (String user : originalKeys.keySet()) {
            List<String> usable = account.keys(user).stream().filter(key -> key.status() == StatusType.ACTIVE)
                    .map(AccessKeyMetadata::accessKeyId)
                    .filter(key -> key.equals(originalKeys.get(user)) || delivered(user, key)).toList();
            assertThat(usable).as("%s's active keys that are its own or were mailed to it (keys: %s)", user,
                    account.keyIds(user)).isNotEmpty();
        }
    }

    /** (2) A key IKR created was mailed to its owner, or does not exist any more. */
    private void assertEveryKeyIkrCreatedWasDeliveredOrIsGone() {
        for (CreatedKey created : createdKeys()) {
            if (account.keyIds(created.user()).contains(created.keyId())) {
                assertThat(delivered(created.user(), created.keyId()))
                        .as("%s's key %s exists but was never mailed", created.user(), created.keyId()).isTrue();
            }
        }
    }

    /** (3) Only keys IKR created, or old keys it scheduled, were deleted; a scheduled one not before its date. */
    private void assertNoKeyWasDeletedUnscheduledOrEarly() {
        Set<String> created = createdKeys().stream().map(CreatedKey::keyId).collect(Collectors.toSet());
        created.addAll(keysCreatedBeforeTheRun);
        for (Deletion deletion : deletions) {
            if (created.contains(deletion.keyId())) {
                continue;
            }
            assertThat(deletion.tableBefore()).as("the schedule of %s's key %s, deleted at %s", deletion.user(),
                    deletion.keyId(), deletion.at()).anySatisfy(item -> {
                        assertThat(item.get("user").s()).isEqualTo(deletion.user());
                        assertThat(item.get("ak").s()).isEqualTo(deletion.keyId());
                        assertThat(item.get("state").s()).isEqualTo("pending_deletion");
                        assertThat(Long.parseLong(item.get("delete_on").n()))
                                .isLessThanOrEqualTo(deletion.at().getEpochSecond());
                    });
        }
    }

    /**
     * (4) The table holds only pending deletions with a future date, or records waiting for a person
     * after repeated failures; every due user's rotation is complete.
     */
    private void assertNothingIsStuck_andEveryRotationCompleted() {
        List<Map<String, AttributeValue>> items = account.items();
        itemsSeen.addAll(items);
        assertThat(items).allSatisfy(item -> {
            String state = item.get("state").s();
            if (state.equals("delivered")) {
                assertThat(item).as("a delivery item, sealed and without TTL").containsKeys("mac", "mac_key")
                        .doesNotContainKey("delete_on");
            } else if (state.equals("needs_attention")) {
                assertThat(Optional.ofNullable(item.get("attempts")).map(attempts -> Integer.parseInt(attempts.n())))
                        .as("attempts of %s, which needs attention", item)
                        .hasValueSatisfying(attempts ->
                                assertThat(attempts).isGreaterThanOrEqualTo(MAX_DELETE_ATTEMPTS));
            } else {
                assertThat(state).as("state of %s", item).isEqualTo("pending_deletion");
                assertThat(Long.parseLong(item.get("delete_on").n())).as("delete_on of %s", item)
                        .isGreaterThan(lastRun.getEpochSecond());
            }
        });
        for (String user : originalKeys.keySet()) {
            String original = originalKeys.get(user);
            List<String> keys = account.keyIds(user);
            Optional<Map<String, AttributeValue>> pending = items.stream()
                    .filter(item -> item.get("user").s().equals(user) && item.get("ak").s().equals(original))
                    .findFirst();
            if (keys.contains(original)) {
                assertThat(pending).as("%s still has its original key %s: its deletion is scheduled", user, original)
                        .hasValueSatisfying(item -> {
                            assertThat(item.get("state").s()).isEqualTo("pending_deletion");
                            assertThat(keys).contains(item.get("new_ak").s());
                            assertThat(delivered(user, item.get("new_ak").s())).isTrue();
                        });
            } else {
                assertThat(keys).as("%s's keys once the old one is gone", user).hasSize(1)
                        .allSatisfy(key -> assertThat(delivered(user, key)).isTrue());
            }
        }
    }

    /** (5) No secret access key or encryption key in a log line, a handler's response or a table item. */
    private void assertNoSecretLeaked() {
        Set<String> secrets = new HashSet<>(SecretRecorder.secrets());
        createdKeys().forEach(created -> secrets.add(created.secret()));
        for (Exchange exchange : proxy.exchanges()) {
            if (exchange.operation().equals("ssm:PutParameter")) {
                secrets.add(jsonField(exchange.requestBody(), "Value"));
            }
        }
        assertThat(secrets).as("secrets handed out during the test").isNotEmpty();
        String logged = logs.all();
        String answered = String.join("\n", responses);
        String stored = itemsSeen.toString();
        for (String secret : secrets) {
            assertThat(logged.contains(secret)).as("a secret in the logs").isFalse();
            assertThat(answered.contains(secret)).as("a secret in a handler's response").isFalse();
            assertThat(stored.contains(secret)).as("a secret in the table").isFalse();
        }
    }

    // --- what happened, read from the wire and from moto ---------------------------------------------

    private record CreatedKey(String user, String keyId, String secret) {
    }

    /** Every key moto created through the proxy, including those whose reply never reached IKR. */
    private List<CreatedKey> createdKeys() {
        List<CreatedKey> created = new ArrayList<>();
        for (Exchange exchange : proxy.exchanges()) {
            if (exchange.operation().equals("iam:CreateAccessKey") && exchange.motoSucceeded()) {
                Map<String, String> fields = new HashMap<>();
                Matcher matcher = XML_FIELD.matcher(exchange.motoBody());
                while (matcher.find()) {
                    fields.put(matcher.group(1), matcher.group(2));
                }
                created.add(new CreatedKey(fields.get("UserName"), fields.get("AccessKeyId"),
                        fields.get("SecretAccessKey")));
            }
        }
        return created;
    }

    /** Whether a new-key mail to the user's owner delivered {@code keyId}. */
    private boolean delivered(String user, String keyId) {
        return mails.stream()
                .anyMatch(mail -> mail.to().contains(user + "@example.com")
                        && mail.subject().contains("new AWS access key for " + user)
                        && mail.body().contains("New access key ID: " + keyId));
    }

    private static List<String> counted(Map<String, Long> counts) {
        List<String> names = new ArrayList<>();
        counts.forEach((name, count) -> {
            for (long i = 0; i < count; i++) {
                names.add(name);
            }
        });
        return names;
    }

    private static String formField(String form, String name) {
        for (String field : form.split("&")) {
            if (field.startsWith(name + "=")) {
                return URLDecoder.decode(field.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError(name + " not in " + form);
    }

    private static String jsonField(String json, String name) {
        try {
            JsonNode node = JSON.readTree(json).path(name);
            return node.asText();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The table's variables, and {@link #kmsVariables} in the KMS keys' cases. */
    private Map<String, String> env() {
        var env = new HashMap<>(account.tableVariables());
        env.putAll(kmsVariables);
        return env;
    }

    private static Clock clockAt(Instant at) {
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), at));
    }

    private static LocalContext context() {
        return LocalContext.forAccount("ikr", Moto.REGION, Moto.ACCOUNT_ID);
    }
}
