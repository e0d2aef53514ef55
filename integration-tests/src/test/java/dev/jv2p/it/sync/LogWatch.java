package dev.jv2p.it.sync;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches what is written to {@code System.err}, where slf4j-simple logs, for signs that a
 * node met an exception it did not expect: a stack trace, the router's "processing a message
 * ... failed", a failed extension or listener, a Netty leak report. Everything is still passed
 * on; closing puts the original stream back.
 */
final class LogWatch implements AutoCloseable {
    private static final String[] ALARMS = {
        "processing a message from", "a protocol extension failed", "a mesh listener failed", "LEAK:"
    };
    private static final int KEPT_LINES = 60;

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final List<String> alarm = new ArrayList<>();
    private String previous = "";

    private LogWatch() {
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (line) {
                    int start = off;
                    for (int i = off; i < off + len; i++) {
                        if (b[i] == '\n') {
                            line.write(b, start, i - start);
                            check(line.toString(StandardCharsets.UTF_8));
                            line.reset();
                            start = i + 1;
                        }
                    }
                    line.write(b, start, off + len - start);
                }
                original.write(b, off, len);
            }

            @Override
            public void flush() {
                original.flush();
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    static LogWatch start() {
        return new LogWatch();
    }

    private void check(String text) {
        boolean alarming = text.startsWith("\tat ") || text.startsWith("Caused by: ");
        for (String a : ALARMS) {
            alarming |= text.contains(a);
        }
        if (alarming && alarm.isEmpty()) {
            // The line before a stack trace names the exception.
            alarm.add(previous);
        }
        if (!alarm.isEmpty() && alarm.size() < KEPT_LINES) {
            alarm.add(text);
        }
        previous = text;
    }

    /** Fails with the lines that raised the alarm, if any did. */
    void assertQuiet() {
        synchronized (line) {
            if (!alarm.isEmpty()) {
                throw new AssertionError("a node logged an unexpected failure:\n" + String.join("\n", alarm));
            }
        }
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
