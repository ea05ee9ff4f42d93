package dev.ikr.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ikr.aws.AwsClients;
import dev.ikr.aws.KmsRecordAuthenticator;
import dev.ikr.aws.RotationTableItems;
import dev.ikr.domain.LastDelivery;
import dev.ikr.domain.RecordSeal;
import dev.ikr.domain.RotationRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * Sets up and inspects the moto account the way a user would see it: IAM users and keys, the
 * table's items, the mails SES holds, the SSM parameters. Uses its own clients, so the code under
 * test counts only its own calls.
 */
public final class TestAccount {

    public static final String TABLE = "iam-key-rotator";
    public static final String SENDER = "ikr@example.com";

    /** The role a test assumes to set up a member account, as an organization's management account would. */
    public static final String SETUP_ROLE = "OrganizationAccountAccessRole";

    private final Moto moto;
    private final AwsClients aws;
    private String recordKeyArn;

    public TestAccount(Moto moto) {
        this(moto, new AwsClients());
    }

    private TestAccount(Moto moto, AwsClients aws) {
        this.moto = moto;
        this.aws = aws;
    }

    /**
     * Another account of the same moto (moto acts in the account whose role the credentials assumed): its users,
     * keys, parameters and role are set up and inspected through {@value #SETUP_ROLE}, assumed with this account's
     * credentials.
     */
    public TestAccount inAccount(String accountId) {
        var credentials = software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider.builder()
                .stsClient(aws.sts())
                .refreshRequest(request -> request.roleArn("arn:aws:iam::" + accountId + ":role/" + SETUP_ROLE)
                        .roleSessionName("ikr-test-setup"))
                .build();
        return new TestAccount(moto, aws.withCredentials(credentials));
    }

    /** The account IKR's member role lives in: {@code name}, trusting the deployment's account. */
    public void createRole(String name, String trustedAccount) {
        aws.iam().createRole(request -> request.roleName(name).assumeRolePolicyDocument("{\"Version\":\"2012-10-17\","
                + "\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + trustedAccount
                + ":root\"},\"Action\":\"sts:AssumeRole\"}]}"));
    }

    public void createAccountAlias(String alias) {
        aws.iam().createAccountAlias(request -> request.accountAlias(alias));
    }

    /** The table as the Terraform module creates it, with the symmetric KMS key that seals its items. */
    public TestAccount createTable() {
        recordKeyArn = aws.kms().createKey(request -> request.description("IKR record key (test)"))
                .keyMetadata().arn();
        aws.dynamoDb().createTable(request -> request
                .tableName(TABLE)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        definition -> definition.attributeName("user").attributeType(ScalarAttributeType.S),
                        definition -> definition.attributeName("ak").attributeType(ScalarAttributeType.S))
                .keySchema(
                        key -> key.attributeName("user").keyType(KeyType.HASH),
                        key -> key.attributeName("ak").keyType(KeyType.RANGE))
                .streamSpecification(stream -> stream.streamEnabled(true)
                        .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        aws.dynamoDb().updateTimeToLive(request -> request.tableName(TABLE)
                .timeToLiveSpecification(ttl -> ttl.attributeName("delete_on").enabled(true)));
        return this;
    }

    /** {@code RECORD_KMS_KEY_ID}: the ARN of the key {@link #createTable} made. */
    public String recordKeyArn() {
        if (recordKeyArn == null) {
            throw new IllegalStateException("createTable() makes the record key");
        }
        return recordKeyArn;
    }

    /** The table's variables: {@code IAM_KEY_ROTATOR_TABLE}, {@code RECORD_KMS_KEY_ID} and {@code MAIL_FROM}. */
    public Map<String, String> tableVariables() {
        return Map.of("IAM_KEY_ROTATOR_TABLE", TABLE, "RECORD_KMS_KEY_ID", recordKeyArn(), "MAIL_FROM", SENDER);
    }

    public TestAccount verifySender() {
        aws.ses().verifyEmailIdentity(request -> request.emailAddress(SENDER));
        return this;
    }

    public void createUser(String name, Map<String, String> tags) {
        aws.iam().createUser(request -> request.userName(name)
                .tags(tags.entrySet().stream()
                        .map(tag -> Tag.builder().key(tag.getKey()).value(tag.getValue()).build())
                        .toList()));
    }

    /** Creates an access key and returns its id. */
    public String createKey(String user) {
        return aws.iam().createAccessKey(request -> request.userName(user)).accessKey().accessKeyId();
    }

    public void deactivateKey(String user, String keyId) {
        aws.iam().updateAccessKey(request -> request.userName(user).accessKeyId(keyId).status(StatusType.INACTIVE));
    }

    public void deleteKey(String user, String keyId) {
        aws.iam().deleteAccessKey(request -> request.userName(user).accessKeyId(keyId));
    }

    public List<String> keyIds(String user) {
        return keys(user).stream().map(AccessKeyMetadata::accessKeyId).toList();
    }

    public List<AccessKeyMetadata> keys(String user) {
        return aws.iam().listAccessKeys(request -> request.userName(user)).accessKeyMetadata();
    }

    public List<Map<String, AttributeValue>> items() {
        return aws.dynamoDb().scan(request -> request.tableName(TABLE)).items();
    }

    /** The table's rotation items: every item but where each user's key was last delivered. */
    public List<Map<String, AttributeValue>> rotationItems() {
        return items().stream().filter(item -> !LastDelivery.isRangeKey(item.get("ak").s())).toList();
    }

    /** The item that remembers where {@code user}'s key was last delivered. */
    public Optional<Map<String, AttributeValue>> delivery(String user) {
        return item(user, LastDelivery.RANGE_KEY);
    }

    public Optional<Map<String, AttributeValue>> item(String user, String oldKeyId) {
        var item = aws.dynamoDb().getItem(request -> request.tableName(TABLE).consistentRead(true)
                .key(Map.of("user", AttributeValue.fromS(user), "ak", AttributeValue.fromS(oldKeyId)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /** Writes {@code record} as IKR would: sealed under the record key (the first seal also creates the MAC key). */
    public void putSealed(RotationRecord record) {
        putItem(RotationTableItems.toItem(record, authenticator().seal(record)));
    }

    /** The seal IKR would write {@code record} with. */
    public RecordSeal sealOf(RotationRecord record) {
        return authenticator().seal(record);
    }

    private KmsRecordAuthenticator authenticator() {
        return new KmsRecordAuthenticator(aws.kms(), aws.ssm(), recordKeyArn(), TABLE);
    }

    public void putItem(Map<String, AttributeValue> item) {
        aws.dynamoDb().putItem(request -> request.tableName(TABLE).item(item));
    }

    public Optional<String> parameter(String name) {
        try {
            return Optional.of(aws.ssm().getParameter(request -> request.name(name).withDecryption(true))
                    .parameter().value());
        } catch (ParameterNotFoundException absent) {
            return Optional.empty();
        }
    }

    public Optional<String> parameterType(String name) {
        try {
            return Optional.of(aws.ssm().getParameter(request -> request.name(name)).parameter().typeAsString());
        } catch (ParameterNotFoundException absent) {
            return Optional.empty();
        }
    }

    /** The mails SES accepted, as moto keeps them (the HTML body when there is one). */
    public List<SentMail> sentMails() {
        var mails = new ArrayList<SentMail>();
        for (JsonNode message : moto.data().path("ses").path("Message")) {
            var to = new ArrayList<String>();
            message.path("destinations").path("ToAddresses").forEach(address -> to.add(address.asText()));
            mails.add(new SentMail(message.path("source").asText(), to, message.path("subject").asText(),
                    message.path("body").asText()));
        }
        return mails;
    }

    public List<SentMail> sentMailsTo(String address) {
        return sentMails().stream().filter(mail -> mail.to().contains(address)).toList();
    }

    public AwsClients aws() {
        return aws;
    }

    public record SentMail(String from, List<String> to, String subject, String body) {
    }
}
