package dev.jv2p.bench.harness;

import dev.jv2p.testsupport.LineProcess;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running {@link BenchNode} (or js2p bench node) process: sends commands, collects its
 * {@code #BN} lines, and stops it. Everything else it prints goes to its log file.
 */
final class NodeProcess implements AutoCloseable {
    private final String name;
    private final LineProcess process;
    private final long launchNanos;
    private final List<String[]> lines = new ArrayList<>(); // guarded by this
    private final Path log;
    private final Writer logWriter;
    /** Counted down once stdout has ended and its log is closed. */
    private final CountDownLatch ended = new CountDownLatch(1);

    private int nextCid;

    /** Starts {@code command}; its stderr goes to {@code log}, its non-protocol stdout to {@code log}.out. */
    private NodeProcess(String name, List<String> command, Map<String, String> env, Path log) throws IOException {
        this.name = name;
        this.log = log;
        this.logWriter = Files.newBufferedWriter(log.resolveSibling(log.getFileName() + ".out"));
        this.launchNanos = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(log.toFile());
        pb.environment().putAll(env);
        this.process = LineProcess.start(pb, "bench-read-" + name, this::onLine, null, this::onEnd);
    }

    static NodeProcess start(String name, List<String> command, Path log) throws IOException {
        return start(name, command, Map.of(), log);
    }

    /** As {@link #start(String, List, Path)}, with {@code env} added to the process's environment. */
    static NodeProcess start(String name, List<String> command, Map<String, String> env, Path log) throws IOException {
        return new NodeProcess(name, command, env, log);
    }

    String name() {
        return name;
    }

    /** {@link System#nanoTime()} just before the process was started. */
    long launchNanos() {
        return launchNanos;
    }

    private void onLine(String line) throws IOException {
        if (line.startsWith("#BN ")) {
            synchronized (this) {
                lines.add(line.substring(4).split(" "));
                notifyAll();
            }
        } else {
            logWriter.write(line);
            logWriter.write('\n');
        }
    }

    /** Stdout ended: the process is gone; waiters time out or see it dead. */
    private void onEnd() {
        try {
            logWriter.close();
        } catch (IOException e) {
            // the log of a finished process; nothing more to write
        }
        synchronized (this) {
            notifyAll();
        }
        ended.countDown();
    }

    /** Sends a command and returns the words of its answer after {@code ok CID}. */
    String[] call(String command, Duration timeout) throws TimeoutException, InterruptedException {
        String cid = name + "-" + nextCid++;
        try {
            process.send(cid + " " + command);
        } catch (IOException e) {
            // the process is gone: the wait below reports how it exited
        }
        String[] answer = await(
                w -> (w[0].equals("ok") || w[0].equals("err")) && w.length > 1 && w[1].equals(cid), timeout, command);
        if (answer[0].equals("err")) {
            throw new IllegalStateException(name + " failed '" + command + "': "
                    + String.join(" ", List.of(answer).subList(2, answer.length)));
        }
        return List.of(answer).subList(2, answer.length).toArray(String[]::new);
    }

    /** Waits for an event line whose first words are {@code words}; returns the whole line. */
    String[] awaitEvent(Duration timeout, String... words) throws TimeoutException, InterruptedException {
        return await(w -> startsWith(w, words), timeout, String.join(" ", words));
    }

    private static boolean startsWith(String[] line, String[] words) {
        if (line.length < words.length) {
            return false;
        }
        for (int i = 0; i < words.length; i++) {
            if (!line[i].equals(words[i])) {
                return false;
            }
        }
        return true;
    }

    private synchronized String[] await(java.util.function.Predicate<String[]> match, Duration timeout, String what)
            throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int scanned = 0;
        while (true) {
            for (; scanned < lines.size(); scanned++) {
                if (match.test(lines.get(scanned))) {
                    return lines.remove(scanned);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException(name + ": no '" + what + "' within " + timeout.toSeconds() + " s");
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code "
                        + process.process().exitValue() + " while waiting for '" + what + "'; see " + log);
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
        }
    }

    /**
     * Asks the node to close and waits for it to exit; kills it (and its children) if it does
     * not. Returns once its stdout has been read to the end, so its log is complete.
     */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                try {
                    call("close", Duration.ofSeconds(10));
                } catch (Exception e) {
                    // killed below
                }
                process.closeInput();
                process.awaitExit(Duration.ofSeconds(10));
            }
            ended.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        }
    }

    void kill() {
        process.kill();
    }

    boolean isAlive() {
        return process.isAlive();
    }
}
