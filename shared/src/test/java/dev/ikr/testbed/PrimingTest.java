package dev.ikr.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.ikr.aws.AwsClients;
import dev.ikr.message.MessageRenderer;
import dev.ikr.wiring.Priming;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SnapStart priming warms the clients and templates without calling AWS. */
class PrimingTest {

    @Test
    void primesEveryClientAndTemplate_withoutASingleAwsCall() {
        String region = System.getProperty("aws.region");
        System.setProperty("aws.region", "eu-west-1"); // Lambda always sets AWS_REGION
        try {
            var clients = new AwsClients(List.of());

            assertThatCode(() -> Priming.prime(clients, new MessageRenderer())).doesNotThrowAnyException();
            assertThatCode(() -> Priming.primeDeliveryTargets(clients)).doesNotThrowAnyException();

            assertThat(clients.callCounter().snapshot()).isEmpty();
        } finally {
            if (region == null) {
                System.clearProperty("aws.region");
            } else {
                System.setProperty("aws.region", region);
            }
        }
    }

    @Test
    void preloadsEveryTemplateItSends() {
        assertThatCode(() -> new MessageRenderer().preloaded()).doesNotThrowAnyException();
        assertThat(MessageRenderer.TEMPLATES).containsExactly("new-key", "key-deleted", "action-needed",
                "unverified-records", "address-changed", "key-delivered", "key-deactivated", "key-in-use",
                "kms-key-rotated", "kms-key-retired", "kms-key-action-needed");
        assertThat(MessageRenderer.TEMPLATES).as("one template per kind of mail")
                .hasSameSizeAs(dev.ikr.message.Mail.class.getPermittedSubclasses());
    }
}
