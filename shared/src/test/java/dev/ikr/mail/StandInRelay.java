package dev.ikr.mail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A minimal SMTP relay on 127.0.0.1 for what GreenMail cannot do (STARTTLS, a certificate per test): TLS from the
 * first byte, STARTTLS, or no STARTTLS at all, always offering AUTH. It accepts any login and any mail, and
 * records every command it received and whether it came over TLS, so a test can tell what went out in the clear.
 */
final class StandInRelay implements AutoCloseable {

    enum Mode {
        /** TLS from the first byte (SMTPS). */
        SSL,
        /** Offers STARTTLS, then speaks TLS. */
        STARTTLS,
        /** Never offers STARTTLS, but offers AUTH in the clear. */
        NO_STARTTLS
    }

    /** One command as received: its verb (EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, QUIT...) and whether over TLS. */
    record Command(String verb, boolean overTls) {
    }

    private static final int READ_TIMEOUT_MILLIS = 10_000;

    private final Mode mode;
    private final SSLContext tls;
    private final ServerSocket server;
    private final List<Command> commands = new CopyOnWriteArrayList<>();
    private final List<String> logins = new CopyOnWriteArrayList<>();
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    StandInRelay(Mode mode, SSLContext tls) throws IOException {
        this.mode = mode;
        this.tls = tls;
        this.server = mode == Mode.SSL
                ? tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))
                : new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        this.acceptor = Thread.ofVirtual().start(this::acceptForever);
    }

    int port() {
        return server.getLocalPort();
    }

    List<Command> commands() {
        return List.copyOf(commands);
    }

    List<String> verbs() {
        return commands.stream().map(Command::verb).toList();
    }

    /** The logins as {@code user:password}, decoded. */
    List<String> logins() {
        return List.copyOf(logins);
    }

    /** The mails accepted, as the text after DATA. */
    List<String> messages() {
        return List.copyOf(messages);
    }

    private void acceptForever() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(READ_TIMEOUT_MILLIS);
                reply(socket.getOutputStream(), "220 relay.test ESMTP stand-in");
                converse(socket, mode == Mode.SSL);
            } catch (IOException clientGaveUp) {
                // a refused handshake or a closed connection: what the test wants to see, or the end of the test
            }
        }
    }

    private void converse(Socket socket, boolean overTls) throws IOException {
        var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = socket.getOutputStream();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
            commands.add(new Command(verb, overTls));
            switch (verb) {
                case "EHLO", "HELO" -> reply(out, "250-relay.test\r\n"
                        + (mode == Mode.STARTTLS && !overTls ? "250-STARTTLS\r\n" : "")
                        + "250-AUTH PLAIN LOGIN\r\n250 8BITMIME");
                case "STARTTLS" -> {
                    reply(out, "220 ready to start TLS");
                    var secured = (SSLSocket) tls.getSocketFactory().createSocket(socket,
                            socket.getInetAddress().getHostAddress(), socket.getPort(), true);
                    secured.setUseClientMode(false);
                    secured.startHandshake();
                    converse(secured, true);
                    return;
                }
                case "AUTH" -> authenticate(line, in, out);
                case "DATA" -> {
                    reply(out, "354 end with <CRLF>.<CRLF>");
                    var message = new StringBuilder();
                    for (String data = in.readLine(); data != null && !data.equals("."); data = in.readLine()) {
                        message.append(data).append('\n');
                    }
                    messages.add(message.toString());
                    reply(out, "250 queued");
                }
                case "QUIT" -> {
                    reply(out, "221 bye");
                    return;
                }
                default -> reply(out, "250 ok");
            }
        }
    }

    private void authenticate(String line, BufferedReader in, OutputStream out) throws IOException {
        String[] parts = line.split(" ");
        String mechanism = parts.length > 1 ? parts[1].toUpperCase(Locale.ROOT) : "";
        if (mechanism.equals("PLAIN")) {
            String response = parts.length > 2 ? parts[2] : challenge(out, "", in);
            String[] fields = decode(response).split("\u0000", -1);
            logins.add(fields[fields.length - 2] + ":" + fields[fields.length - 1]);
        } else {
            String user = parts.length > 2 ? decode(parts[2]) : decode(challenge(out, "VXNlcm5hbWU6", in));
            logins.add(user + ":" + decode(challenge(out, "UGFzc3dvcmQ6", in)));
        }
        reply(out, "235 authenticated");
    }

    private static String challenge(OutputStream out, String prompt, BufferedReader in) throws IOException {
        reply(out, "334 " + prompt);
        return in.readLine();
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64.strip()), StandardCharsets.UTF_8);
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }
}
