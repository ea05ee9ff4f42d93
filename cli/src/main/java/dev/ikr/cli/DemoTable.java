package dev.ikr.cli;

import dev.ikr.aws.AwsClients;

/** The rotation table as the Terraform module creates it, made with the SDK where Terraform is not used. */
final class DemoTable {

    private final AwsClients clients;

    DemoTable(AwsClients clients) {
        this.clients = clients;
    }

    /**
     * Key {@code user}/{@code ak}, on demand, TTL on {@code delete_on}, stream with both images; and the symmetric KMS
     * key that seals its items.
     *
     * @return the record key's ARN ({@code RECORD_KMS_KEY_ID})
     */
    String create(String table) {
        clients.dynamoDb().createTable(request -> request.tableName(table)
                .billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(attribute -> attribute.attributeName("user").attributeType("S"),
                        attribute -> attribute.attributeName("ak").attributeType("S"))
                .keySchema(key -> key.attributeName("user").keyType("HASH"),
                        key -> key.attributeName("ak").keyType("RANGE"))
                .streamSpecification(stream -> stream.streamEnabled(true).streamViewType("NEW_AND_OLD_IMAGES")));
        clients.dynamoDb().updateTimeToLive(request -> request.tableName(table)
                .timeToLiveSpecification(ttl -> ttl.attributeName("delete_on").enabled(true)));
        return clients.kms().createKey(request -> request.description("IKR record key (demo)")).keyMetadata().arn();
    }
}
