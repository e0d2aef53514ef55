package dev.jv2p.sync.net;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Captures what the test logger writes while it is open. The tests' logger (slf4j-simple)
 * writes each line to whatever {@code System.err} is at that moment, so swapping it is enough;
 * the lines are still copied to the original stream.
 */
public final class LogCapture implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    public LogCapture() {
        PrintStream copy = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setErr(new PrintStream(
                new OutputStream() {
                    @Override
                    public void write(int b) {
                        copy.write(b);
                        original.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        copy.write(b, off, len);
                        original.write(b, off, len);
                    }
                },
                true,
                StandardCharsets.UTF_8));
    }

    /** The lines logged at WARN or ERROR so far. */
    public synchronized List<String> warnings() {
        return captured.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))
                .toList();
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
