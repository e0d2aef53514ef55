package dev.jv2p.bench.harness;

import dev.jv2p.bench.harness.Figures.Measure;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The measurements of one system, on three fresh nodes, in this order: in a warm run only, a
 * warm-up (bulk {@code put}s of series {@code w} until all three hold them, then paced single
 * writes of series {@code x} timed by nodes 1 and 2, neither measured); (a) bulk {@code put}s
 * of series {@code a} from node 0 until all three hold them, (d) heap per entry, (c) late join:
 * node 2 is replaced by a new process that must receive everything the others hold, (b)
 * propagation of paced single writes (series {@code l}) observed on nodes 1 and 2, and (a')
 * bulk {@code putAll} of series {@code u}. Every process is stopped at the end, also on failure.
 */
final class SystemRun {
    /** Starts node {@code index}; {@code watch} is "PREFIX N" for a node that must watch from its start, or null. */
    interface Launcher {
        NodeProcess launch(int index, List<Integer> ports, String watch) throws IOException;
    }

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration PHASE = Duration.ofSeconds(300);
    private static final Duration CALL = Duration.ofSeconds(120);
    /** How long receivers have after the last paced write before they report what they have. */
    private static final Duration GRACE = Duration.ofSeconds(60);

    private final String system;
    private final Launcher launcher;
    private final int entries;
    private final int latencyWrites;
    private final int warmupWrites;
    private final int warmupSingles;
    private final NodeProcess[] nodes = new NodeProcess[3];
    /** How many entries every node holds when the phases before the current one are done. */
    private int held;

    /** A cold run when {@code warmupWrites} and {@code warmupSingles} are 0. */
    SystemRun(String system, Launcher launcher, int entries, int latencyWrites, int warmupWrites, int warmupSingles) {
        this.system = system;
        this.launcher = launcher;
        this.entries = entries;
        this.latencyWrites = latencyWrites;
        this.warmupWrites = warmupWrites;
        this.warmupSingles = warmupSingles;
    }

    Figures run(List<Integer> ports) {
        Figures f = new Figures(system, entries);
        log("starting 3 nodes");
        try {
            for (int i = 0; i < 3; i++) {
                nodes[i] = launcher.launch(i, ports, null);
                nodes[i].awaitEvent(START, "loaded");
            }
            awaitMembers(3);
            if (warmupWrites > 0) {
                phase(f, "warm-up", this::warmUp);
            }
            phase(f, "bulk put", () -> bulk(f, Measure.BULK_PUT, 'a', "put"));
            phase(f, "late join", () -> lateJoin(f, ports));
            phase(f, "propagation", () -> propagation(f));
            phase(f, "bulk putAll", () -> bulk(f, Measure.BULK_PUT_ALL, 'u', "putAll"));
        } catch (Exception e) {
            f.fail("start", e);
        } finally {
            for (NodeProcess n : nodes) {
                if (n != null) {
                    n.close();
                }
            }
        }
        log("done " + f.values + (f.note.isEmpty() ? "" : " (" + f.note + ")"));
        return f;
    }

    private interface Phase {
        void run() throws Exception;
    }

    private void phase(Figures f, String name, Phase phase) {
        log(name);
        try {
            phase.run();
        } catch (Exception e) {
            f.fail(name, e);
            log(name + " failed: " + e.getMessage());
        }
        logStats(name);
    }

    /** Cumulative transport counters of each node after a phase, where the system reports them. */
    private void logStats(String phase) {
        for (NodeProcess n : nodes) {
            if (n == null || !n.isAlive()) {
                continue;
            }
            try {
                String stats = String.join(" ", n.call("stats", CALL));
                if (!stats.isEmpty()) {
                    log("after " + phase + ", " + n.name() + ": " + stats);
                }
            } catch (Exception e) {
                log("no stats from " + n.name() + ": " + e.getMessage());
            }
        }
    }

    /** Writes and propagates a load that is not measured, so that the phases after it run on warm JVMs. */
    private void warmUp() throws Exception {
        double rate = writeUntilAllHold('w', warmupWrites, "put");
        long[] d = delays('x', warmupSingles, this::log);
        log(String.format(
                java.util.Locale.ROOT,
                "warm-up: %d bulk writes at %.0f entries/s, %d single writes p50 %.3f ms p99 %.3f ms",
                warmupWrites,
                rate,
                warmupSingles,
                percentile(d, 0.5) / 1000.0,
                percentile(d, 0.99) / 1000.0));
    }

    private void bulk(Figures f, Measure measure, char series, String mode) throws Exception {
        long[] before = measure == Measure.BULK_PUT ? heaps() : null;
        long relayedBefore = measure == Measure.BULK_PUT ? relayed() : -1;
        f.put(measure, writeUntilAllHold(series, entries, mode));
        if (relayedBefore >= 0) {
            long relayedAfter = relayed();
            if (relayedAfter >= 0) {
                f.put(Measure.RELAYS, relayedAfter - relayedBefore);
            }
        }
        if (before != null) {
            long[] after = heaps();
            double[] perEntry = new double[3];
            for (int i = 0; i < 3; i++) {
                perEntry[i] = (after[i] - before[i]) / (double) entries;
            }
            Arrays.sort(perEntry);
            log("heap per entry on the 3 nodes: " + Arrays.toString(perEntry));
            f.put(Measure.HEAP, perEntry[1]);
        }
    }

    /** Node 0 writes {@code count} entries of {@code series}; entries per second until all three hold them. */
    private double writeUntilAllHold(char series, int count, String mode) throws Exception {
        held += count;
        for (NodeProcess n : nodes) {
            n.call("watch " + series + " " + count + " " + held, CALL);
        }
        String[] written = nodes[0].call("write " + series + " " + count + " " + mode + " 1000", PHASE);
        long start = Long.parseLong(written[0]);
        long last = 0;
        for (NodeProcess n : nodes) {
            last = Math.max(last, Long.parseLong(n.awaitEvent(PHASE, "full", String.valueOf(series))[2]));
        }
        return count / ((last - start) / 1e9);
    }

    /**
     * Copies relayed by the three nodes so far, or -1 when the system does not count them (js2p's
     * bench node does not know the command and answers with an error).
     */
    private long relayed() throws TimeoutException, InterruptedException {
        long sum = 0;
        for (NodeProcess n : nodes) {
            long r;
            try {
                r = Long.parseLong(n.call("relayed", CALL)[0]);
            } catch (IllegalStateException notCounted) {
                return -1;
            }
            if (r < 0) {
                return -1;
            }
            sum += r;
        }
        return sum;
    }

    private long[] heaps() throws TimeoutException, InterruptedException {
        long[] used = new long[3];
        for (int i = 0; i < 3; i++) {
            used[i] = Long.parseLong(nodes[i].call("heap", CALL)[0]);
        }
        return used;
    }

    private void lateJoin(Figures f, List<Integer> ports) throws Exception {
        nodes[2].close();
        nodes[2] = null;
        awaitMembers(2);
        // it must hold everything the others hold, the warm-up included
        NodeProcess joiner = launcher.launch(2, ports, "a " + entries + " " + held);
        nodes[2] = joiner;
        long joined = Long.parseLong(joiner.awaitEvent(START, "joined")[1]);
        long full = Long.parseLong(joiner.awaitEvent(PHASE, "full", "a")[2]);
        f.put(Measure.JOIN_LAUNCH, (full - joiner.launchNanos()) / 1e9);
        f.put(Measure.JOIN_AFTER, (full - joined) / 1e9);
        awaitMembers(3);
    }

    private void propagation(Figures f) throws Exception {
        long[] d = delays('l', latencyWrites, shortfall -> {
            log(shortfall);
            f.addNote("propagation: " + shortfall + " (its figures leave the missing ones out)");
        });
        f.put(Measure.P50, percentile(d, 0.50) / 1000.0);
        f.put(Measure.P99, percentile(d, 0.99) / 1000.0);
        f.put(Measure.MAX, d[d.length - 1] / 1000.0);
    }

    /**
     * Node 0 writes {@code count} entries of {@code series}, one a millisecond, each value
     * carrying its send time; the sorted delays (µs) of the receiver whose p99 is worse. A
     * receiver still short of {@code count} updates {@link #GRACE} after the last write reports
     * what it has; {@code shortfall} hears how many it missed.
     */
    private long[] delays(char series, int count, Consumer<String> shortfall) throws Exception {
        for (int i = 1; i < 3; i++) {
            nodes[i].call("listen " + series + " " + count, CALL);
        }
        nodes[0].call("paced " + series + " " + count + " 1000000", PHASE);
        held += count;
        long[][] delays = new long[2][];
        for (int i = 1; i < 3; i++) {
            String[] line;
            try {
                line = nodes[i].awaitEvent(GRACE, "latencies", String.valueOf(series));
            } catch (TimeoutException e) {
                nodes[i].call("received " + series, CALL);
                line = nodes[i].awaitEvent(CALL, "latencies", String.valueOf(series));
            }
            if (line.length < 3) {
                throw new IllegalStateException("node " + i + " saw none of the " + count + " updates of series "
                        + series + " within " + GRACE.toSeconds() + " s of the last write");
            }
            long[] inArrivalOrder =
                    Arrays.stream(line[2].split(",")).mapToLong(Long::parseLong).toArray();
            log("node " + i + " delays (µs), median of each tenth in arrival order: " + tenths(inArrivalOrder));
            if (inArrivalOrder.length < count) {
                shortfall.accept("node " + i + " saw " + inArrivalOrder.length + " of " + count + " updates of series "
                        + series + " within " + GRACE.toSeconds() + " s of the last write");
            }
            delays[i - 1] = Arrays.stream(inArrivalOrder).sorted().toArray();
        }
        // "the farthest node": the receiver whose p99 is worse
        return percentile(delays[0], 0.99) >= percentile(delays[1], 0.99) ? delays[0] : delays[1];
    }

    /** Whether delays grow during the run (a backlog) or stay flat: the median of each tenth. */
    private static String tenths(long[] delays) {
        StringBuilder sb = new StringBuilder();
        int tenth = Math.max(1, delays.length / 10);
        for (int from = 0; from < delays.length; from += tenth) {
            long[] part = Arrays.copyOfRange(delays, from, Math.min(delays.length, from + tenth));
            Arrays.sort(part);
            sb.append(sb.length() == 0 ? "" : " ").append(percentile(part, 0.5));
        }
        return sb.toString();
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private void awaitMembers(int count) throws Exception {
        List<NodeProcess> live = new ArrayList<>();
        for (NodeProcess n : nodes) {
            if (n != null) {
                live.add(n);
            }
        }
        long deadline = System.nanoTime() + START.toNanos();
        for (NodeProcess n : live) {
            while (Integer.parseInt(n.call("members", CALL)[0]) != count) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException(n.name() + " never saw " + count + " members");
                }
                Thread.sleep(50); // polling another process's view; nothing to wait on here
            }
        }
    }

    /** One line of the run's log, with the wall-clock time, to line up with node logs and recordings. */
    private void log(String message) {
        System.out.printf("%s [%s] %s%n", java.time.LocalTime.now(java.time.ZoneOffset.UTC), system, message);
    }

    static Path logFile(Path dir, String system, int index, int generation) {
        return dir.resolve(system + "-node" + index + (generation > 0 ? "-" + generation : "") + ".log");
    }
}
