package dev.ikr.rotator;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.ikr.aws.AwsClients;
import dev.ikr.config.RotatorConfig;
import dev.ikr.local.LocalContext;
import dev.ikr.testbed.Moto;
import dev.ikr.testbed.MotoExtension;
import dev.ikr.testbed.PythonFernet;
import dev.ikr.testbed.TestAccount;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The rotator mailing through a real SMTP server (GreenMail): what the owner's mailbox receives. */
@ExtendWith(MotoExtension.class)
class RotatorOverSmtpIT {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private final TestAccount account = new TestAccount(Moto.shared());
    private final Clock hundredDaysLater = Clock.offset(Clock.systemUTC(), Duration.ofDays(100));

    @BeforeEach
    void setUp() {
        account.createTable();
        account.createUser("alice", Map.of("IKR:EMAIL", "alice@example.com"));
        account.createKey("alice");
    }

    @Test
    void mailsBothPartsWithTheKeyId_andOnlyTheTokens_whenEncrypting() throws Exception {
        rotate(Map.of());

        MimeMessage mail = single();
        String text = part(mail, "text/plain");
        String html = part(mail, "text/html");
        String newKey = account.keyIds("alice").getLast();
        assertThat(mail.getAllRecipients()).extracting(Object::toString).containsExactly("alice@example.com");
        assertThat(text).contains(newKey);
        assertThat(html).contains(newKey);
        Matcher tokens = Pattern.compile("gAAAAA[A-Za-z0-9_=-]+").matcher(text);
        assertThat(tokens.find()).isTrue();
        assertThat(tokens.find()).isTrue();
        String secret = PythonFernet.decrypt(account.parameter("/ikr/secret/iam/alice").orElseThrow(), tokens.group());
        assertThat(secret).hasSize(40);
        assertThat(GreenMailUtil.getWholeMessage(mail)).doesNotContain(secret);
    }

    @Test
    void mailsTheSecret_whenNotEncrypting() throws Exception {
        rotate(Map.of("ENCRYPT_KEY_PAIR", "false"));

        MimeMessage mail = single();
        String text = part(mail, "text/plain");
        assertThat(text).containsPattern("aws_secret_access_key = [A-Za-z0-9/+]{40}").doesNotContain("gAAAAA");
        assertThat(part(mail, "text/html")).contains(account.keyIds("alice").getLast());
    }

    private void rotate(Map<String, String> overrides) {
        var env = new HashMap<String, String>(account.tableVariables());
        env.put("MAIL_CLIENT", "smtp");
        env.put("SMTP_SERVER", "127.0.0.1");
        env.put("SMTP_PORT", Integer.toString(SMTP.getSmtp().getPort()));
        env.put("SMTP_PROTOCOL", "plain");
        env.putAll(overrides);
        Map<String, Object> response = new RotatorHandler(RotatorConfig.from(env), new AwsClients(), hundredDaysLater)
                .handleRequest(Map.of(), LocalContext.forAccount("ikr-rotator", Moto.REGION, Moto.ACCOUNT_ID));
        assertThat(response.get("counts").toString()).contains("rotated=1");
    }

    private static MimeMessage single() {
        MimeMessage[] received = SMTP.getReceivedMessages();
        assertThat(received).hasSize(1);
        return received[0];
    }

    private static String part(MimeMessage mail, String type) throws Exception {
        assertThat(mail.getContentType()).startsWith("multipart/alternative");
        var multipart = (MimeMultipart) mail.getContent();
        for (int i = 0; i < multipart.getCount(); i++) {
            if (multipart.getBodyPart(i).isMimeType(type)) {
                return multipart.getBodyPart(i).getContent().toString();
            }
        }
        throw new AssertionError("no " + type + " part");
    }
}
