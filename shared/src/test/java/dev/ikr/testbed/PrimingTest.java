package dev.ikr.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.ikr.aws.AwsClients;
import dev.ikr.aws.Priming;
import dev.ikr.mail.MessageRenderer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SnapStart priming warms the clients and templates without calling AWS. */
class PrimingTest {

    @Test
    void primesEveryClientAndTemplate_withoutASingleAwsCall() {
        var clients = new AwsClients(List.of());

        assertThatCode(() -> Priming.prime(clients, new MessageRenderer())).doesNotThrowAnyException();

        assertThat(clients.callCounter().snapshot()).isEmpty();
    }

    @Test
    void preloadsEveryTemplateItSends() {
        assertThatCode(() -> new MessageRenderer().preloaded()).doesNotThrowAnyException();
        assertThat(MessageRenderer.TEMPLATES).containsExactly("new-key", "key-deleted", "action-needed");
    }
}
