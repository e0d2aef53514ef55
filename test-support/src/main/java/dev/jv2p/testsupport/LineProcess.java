package dev.jv2p.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process spoken to in lines of UTF-8 text: lines written to its stdin, each line of its
 * stdout (and, if asked, its stderr) handed to a callback on a reader thread of its own. What
 * the lines mean is the caller's: the cli tests' {@code NodeProcess} reads JSON answers and
 * events, the benchmark harness's reads {@code #BN} lines.
 *
 * <p>{@link #close} ends the process: politely, then forcibly with every process it started.
 */
public final class LineProcess implements AutoCloseable {
    /** Receives one line of output; an exception stops the reading of that stream. */
    @FunctionalInterface
    public interface LineHandler {
        void line(String line) throws IOException;
    }

    private final Process process;
    private final Writer stdin;

    private LineProcess(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /**
     * Starts {@code builder}'s command. Each stdout line goes to {@code onLine}, then {@code
     * onEnd} runs once stdout ends (the process exited or closed it). With {@code onErrorLine}
     * each stderr line goes there too; pass {@code null} when {@code builder} redirects stderr.
     *
     * @param name names the reader threads
     */
    public static LineProcess start(
            ProcessBuilder builder, String name, LineHandler onLine, LineHandler onErrorLine, Runnable onEnd)
            throws IOException {
        LineProcess p = new LineProcess(builder.start());
        startReader(name + "-stdout", p.process.getInputStream(), onLine, onEnd);
        if (onErrorLine != null) {
            startReader(name + "-stderr", p.process.getErrorStream(), onErrorLine, () -> {});
        }
        return p;
    }

    private static void startReader(String name, InputStream in, LineHandler handler, Runnable onEnd) {
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            handler.line(line);
                        }
                    } catch (IOException e) {
                        // the process ended, or the handler gave up on the stream
                    } finally {
                        onEnd.run();
                    }
                },
                name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Writes {@code line} and a newline to the process's stdin and flushes. */
    public void send(String line) throws IOException {
        sendAll(List.of(line));
    }

    /** Writes each of {@code lines} and a newline to the process's stdin, then flushes once. */
    public void sendAll(List<String> lines) throws IOException {
        synchronized (stdin) {
            for (String line : lines) {
                stdin.write(line);
                stdin.write('\n');
            }
            stdin.flush();
        }
    }

    /** Closes the process's stdin (many programs take that as a request to exit). */
    public void closeInput() {
        synchronized (stdin) {
            try {
                stdin.close();
            } catch (IOException e) {
                // the process is gone already
            }
        }
    }

    public Process process() {
        return process;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits up to {@code grace} for the process to exit, then kills it.
     *
     * @return whether it exited within {@code grace}
     */
    public boolean awaitExit(Duration grace) throws InterruptedException {
        if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        kill();
        return false;
    }

    /** Kills the process and every process it started, at once. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Asks the process to end (SIGTERM), and kills it if it has not within ten seconds. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!awaitExit(Duration.ofSeconds(10))) {
            process.waitFor();
        }
    }
}
