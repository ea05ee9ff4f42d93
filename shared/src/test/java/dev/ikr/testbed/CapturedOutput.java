package dev.ikr.testbed;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * One of the test JVM's output streams, standard error or standard output, split into lines and handed
 * to the open {@linkplain Recording recordings} instead of the console: installed once with
 * {@code System.setErr} or {@code System.setOut}, so code under test (its {@code JsonLog} lines on
 * standard error, the functions' metrics on standard output, a library's warnings, a stack trace)
 * writes here without knowing it. A line written while no recording is open is unexpected and goes on
 * to the real stream.
 */
final class CapturedOutput {

    private static CapturedOutput stderr;
    private static CapturedOutput stdout;

    private final PrintStream real;
    private final Set<Recording> open = new CopyOnWriteArraySet<>();
    private final LineSplitter splitter = new LineSplitter();

    private CapturedOutput(PrintStream real) {
        this.real = real;
    }

    /** Standard error, captured from the first call on. */
    static synchronized CapturedOutput stderr() {
        if (stderr == null) {
            stderr = new CapturedOutput(System.err);
            System.setErr(new PrintStream(stderr.splitter, true, StandardCharsets.UTF_8));
        }
        return stderr;
    }

    /** Standard output, captured from the first call on. */
    static synchronized CapturedOutput stdout() {
        if (stdout == null) {
            stdout = new CapturedOutput(System.out);
            System.setOut(new PrintStream(stdout.splitter, true, StandardCharsets.UTF_8));
        }
        return stdout;
    }

    /** Opens a recording of every line written to this stream until it is closed. */
    Recording record() {
        var recording = new Recording();
        open.add(recording);
        return recording;
    }

    /** The stream the JVM had before the capture: the console, or what surefire reports. */
    PrintStream real() {
        return real;
    }

    private void accept(String line) {
        if (open.isEmpty()) {
            real.println(line);
            return;
        }
        open.forEach(recording -> recording.add(line));
    }

    /** The lines of the stream written while it was open. */
    final class Recording implements AutoCloseable {

        private final List<String> lines = new ArrayList<>();

        private synchronized void add(String line) {
            lines.add(line);
        }

        /** The lines so far, including the current thread's unfinished one. */
        List<String> lines() {
            splitter.finishLineOfCurrentThread();
            synchronized (this) {
                return List.copyOf(lines);
            }
        }

        @Override
        public void close() {
            splitter.finishLineOfCurrentThread();
            open.remove(this);
        }
    }

    /**
     * Bytes to lines, one buffer per writing thread: a {@code println} reaches it whole (PrintStream
     * holds its lock while it writes), and a thread's {@code print} never lands in another's line.
     */
    private final class LineSplitter extends OutputStream {

        private final ThreadLocal<ByteArrayOutputStream> pending =
                ThreadLocal.withInitial(ByteArrayOutputStream::new);

        @Override
        public void write(int b) {
            if (b == '\n') {
                finishLine(pending.get());
            } else {
                pending.get().write(b);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            ByteArrayOutputStream buffer = pending.get();
            int start = offset;
            for (int i = offset; i < offset + length; i++) {
                if (bytes[i] == '\n') {
                    buffer.write(bytes, start, i - start);
                    finishLine(buffer);
                    start = i + 1;
                }
            }
            buffer.write(bytes, start, offset + length - start);
        }

        void finishLineOfCurrentThread() {
            ByteArrayOutputStream buffer = pending.get();
            if (buffer.size() > 0) {
                finishLine(buffer);
            }
        }

        private void finishLine(ByteArrayOutputStream buffer) {
            String line = buffer.toString(StandardCharsets.UTF_8);
            buffer.reset();
            accept(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
    }
}
