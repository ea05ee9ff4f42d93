package dev.ikr.mail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed server certificates made by the JDK's {@code keytool} under {@code target/tls}, one per name and per
 * test run, and client sockets that trust exactly one of them (in place of the JDK's trust store).
 */
final class TestCertificates {

    /** A certificate for 127.0.0.1, the host every mail test connects to. */
    static final String LOOPBACK = "ip:127.0.0.1";
    static final String PASSWORD = "test-keystore";

    private static final Path DIRECTORY = Path.of("target", "tls");
    private static final Map<String, Identity> ISSUED = new ConcurrentHashMap<>();

    private TestCertificates() {
    }

    /** @param subjectAltName keytool's form: {@code ip:127.0.0.1} or {@code dns:relay.example.net} */
    static Identity issue(String subjectAltName) {
        return ISSUED.computeIfAbsent(subjectAltName, TestCertificates::generate);
    }

    private static Identity generate(String subjectAltName) {
        String name = subjectAltName.substring(subjectAltName.indexOf(':') + 1);
        Path keyStore = DIRECTORY.resolve(name.replaceAll("[^A-Za-z0-9.-]", "_") + "-" + ProcessHandle.current().pid()
                + ".p12").toAbsolutePath();
        try {
            Files.createDirectories(DIRECTORY);
            Files.deleteIfExists(keyStore);
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "relay",
                    "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=" + name,
                    "-ext", "SAN=" + subjectAltName, "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                    "-storepass", PASSWORD, "-keypass", PASSWORD)).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool could not make a certificate for " + name + ": " + output);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                store.load(in, PASSWORD.toCharArray());
            }
            return new Identity(keyStore, store, (X509Certificate) store.getCertificate("relay"));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not make a certificate for " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A key store with one key and its self-signed certificate. */
    record Identity(Path keyStoreFile, KeyStore keyStore, X509Certificate certificate) {

        /** The server side: shows this certificate. */
        SSLContext serverContext() {
            try {
                var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(keyStore, PASSWORD.toCharArray());
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keys.getKeyManagers(), null, null);
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The client side: trusts this certificate and nothing else; the host name is still checked. */
        SSLSocketFactory trustedByClient() {
            try {
                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                trusted.setCertificateEntry("relay", certificate);
                var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trusted);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, trust.getTrustManagers(), null);
                return context.getSocketFactory();
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
