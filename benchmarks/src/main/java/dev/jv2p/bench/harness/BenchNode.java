package dev.jv2p.bench.harness;

import dev.jv2p.bench.jmh.Payloads;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * One node of one system, in its own JVM, driven by the {@link Harness} over stdin/stdout.
 *
 * <p>Usage: {@code BenchNode SYSTEM INDEX PORT,PORT,PORT [WATCH_PREFIX WATCH_COUNT [WATCH_SIZE]]}, where
 * SYSTEM is {@code jv2p}, {@code jv2p-tree} and {@code jv2p-flood} (the broadcast tree on or off
 * whatever the default), {@code jv2p-protobuf}, {@code jv2p-tls}, {@code jv2p-ssl}, {@code jgroups},
 * {@code hazelcast} or {@code tcp} (raw loopback TCP, {@link RawTcpBackend}). Commands are lines {@code CID COMMAND ARGS...}; answers and events are lines starting with {@code #BN}
 * (anything else on stdout is a library's and ignored):
 * <pre>
 * #BN launched NANOS | #BN joined NANOS | #BN full PREFIX NANOS | #BN latencies PREFIX MICROS,...
 * #BN ok CID [VALUES...] | #BN err CID MESSAGE
 * </pre>
 * Times are {@link System#nanoTime()}, which on Linux is CLOCK_MONOTONIC, shared by every
 * process of the machine (Node.js's {@code process.hrtime} reads the same clock), so the harness
 * compares times from different processes directly.
 *
 * <p>Commands: {@code members}; {@code watch PREFIX N [SIZE]} (event {@code full} once this node
 * holds key N−1 of the series and at least SIZE entries, by default N, polled every
 * millisecond); {@code write PREFIX N
 * put|putAll BATCH} (answers with start and end times); {@code paced PREFIX N SPACING_NANOS}
 * (writes whose values carry their send time); {@code listen PREFIX N} (records the delay of
 * the first N remote updates of the series, then reports them); {@code received PREFIX} (reports
 * them now, however few have come); {@code heap} (used heap after
 * full GCs); {@code size}; {@code stats} (transport counters, where the system has them);
 * {@code close}.
 */
public final class BenchNode {
    private static final PrintStream OUT =
            new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);

    private final Backend backend;
    /** For each listened series, what reports its delays so far ({@code received PREFIX}). */
    private final Map<Character, Runnable> reporters = new ConcurrentHashMap<>();

    private BenchNode(Backend backend) {
        this.backend = backend;
    }

    public static void main(String[] args) throws Exception {
        emit("launched " + System.nanoTime());
        String system = args[0];
        int index = Integer.parseInt(args[1]);
        List<Integer> ports =
                Arrays.stream(args[2].split(",")).map(Integer::valueOf).toList();
        BenchNode node = new BenchNode(backend(system));
        try {
            node.backend.start(index, ports);
            emit("joined " + System.nanoTime());
            if (args.length >= 5) {
                int count = Integer.parseInt(args[4]);
                node.watch(args[3].charAt(0), count, args.length >= 6 ? Integer.parseInt(args[5]) : count);
            }
            node.backend.load();
            emit("loaded " + System.nanoTime());
            node.serve();
        } finally {
            node.backend.close();
        }
        System.exit(0); // libraries may leave non-daemon threads behind
    }

    static Backend backend(String system) {
        return switch (system) {
            case "jv2p" -> new Jv2pBackend("msgpack", "Plaintext", null);
            case "jv2p-tree" -> new Jv2pBackend("msgpack", "Plaintext", true);
            case "jv2p-flood" -> new Jv2pBackend("msgpack", "Plaintext", false);
            case "jv2p-protobuf" -> new Jv2pBackend("protobuf", "Plaintext", null);
            case "jv2p-tls" -> new Jv2pBackend("msgpack", "TLS", null);
            case "jv2p-ssl" -> new Jv2pBackend("msgpack", "SSL", null);
            case "jgroups" -> new JGroupsBackend();
            case "hazelcast" -> new HazelcastBackend();
            case "tcp" -> new RawTcpBackend();
            default -> throw new IllegalArgumentException("unknown system " + system);
        };
    }

    private void serve() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split(" ");
            if (w.length < 2) {
                continue;
            }
            String cid = w[0];
            try {
                String result = run(w);
                emit("ok " + cid + (result.isEmpty() ? "" : " " + result));
                if (w[1].equals("close")) {
                    return;
                }
            } catch (Exception | Error e) {
                emit("err " + cid + " " + e.toString().replace('\n', ' '));
            }
        }
    }

    private String run(String[] w) throws Exception {
        return switch (w[1]) {
            case "members" -> String.valueOf(backend.members());
            case "size" -> String.valueOf(backend.size());
            case "stats" -> backend.stats();
            case "relayed" -> String.valueOf(backend.relayed());
            case "watch" -> {
                int count = Integer.parseInt(w[3]);
                watch(w[2].charAt(0), count, w.length > 4 ? Integer.parseInt(w[4]) : count);
                yield "";
            }
            case "write" ->
                write(w[2].charAt(0), Integer.parseInt(w[3]), w[4].equals("putAll"), Integer.parseInt(w[5]));
            case "paced" -> paced(w[2].charAt(0), Integer.parseInt(w[3]), Long.parseLong(w[4]));
            case "listen" -> {
                listen(w[2].charAt(0), Integer.parseInt(w[3]));
                yield "";
            }
            case "received" -> {
                reporters.getOrDefault(w[2].charAt(0), () -> {}).run();
                yield "";
            }
            case "heap" -> String.valueOf(usedHeapAfterGc());
            case "close" -> "";
            default -> throw new IllegalArgumentException("unknown command " + w[1]);
        };
    }

    private void watch(char prefix, int count, int minSize) {
        String last = Payloads.key(prefix, count - 1);
        Thread t = new Thread(
                () -> {
                    while (!(backend.containsKey(last) && backend.size() >= minSize)) {
                        LockSupport.parkNanos(1_000_000);
                    }
                    emit("full " + prefix + " " + System.nanoTime());
                },
                "bench-watch-" + prefix);
        t.setDaemon(true);
        t.start();
    }

    private String write(char prefix, int count, boolean putAll, int batch) {
        String[] keys = new String[count];
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            keys[i] = Payloads.key(prefix, i);
            values[i] = Payloads.value(i);
        }
        List<Map<String, String>> batches = new ArrayList<>();
        if (putAll) {
            for (int from = 0; from < count; from += batch) {
                Map<String, String> m = new LinkedHashMap<>();
                for (int i = from; i < Math.min(count, from + batch); i++) {
                    m.put(keys[i], values[i]);
                }
                batches.add(m);
            }
        }
        long start = System.nanoTime();
        if (putAll) {
            for (Map<String, String> m : batches) {
                backend.putAll(m);
            }
        } else {
            for (int i = 0; i < count; i++) {
                backend.put(keys[i], values[i]);
            }
        }
        return start + " " + System.nanoTime();
    }

    private String paced(char prefix, int count, long spacingNanos) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + i * spacingNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            backend.put(Payloads.key(prefix, i), Payloads.value(System.nanoTime()));
        }
        return start + " " + System.nanoTime();
    }

    private void listen(char prefix, int count) {
        long[] delays = new long[count];
        int[] seen = {0};
        boolean[] reported = {false};
        AutoCloseable[] registration = new AutoCloseable[1];
        Runnable report = () -> {
            synchronized (delays) {
                if (reported[0]) {
                    return;
                }
                reported[0] = true;
                StringBuilder sb =
                        new StringBuilder("latencies ").append(prefix).append(' ');
                for (int i = 0; i < seen[0]; i++) {
                    sb.append(i == 0 ? "" : ",").append(delays[i] / 1000);
                }
                emit(sb.toString().trim());
            }
            Thread closer = new Thread(() -> closeQuietly(registration[0]), "bench-unlisten");
            closer.setDaemon(true);
            closer.start();
        };
        reporters.put(prefix, report);
        registration[0] = backend.onRemoteUpdate((key, value) -> {
            long now = System.nanoTime();
            if (key.charAt(0) != prefix) {
                return;
            }
            synchronized (delays) {
                if (reported[0] || seen[0] >= count) {
                    return;
                }
                delays[seen[0]++] = now - Payloads.stampOf(value);
                if (seen[0] == count) {
                    report.run();
                }
            }
        });
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception e) {
            emit("warn could not remove a listener: " + e);
        }
    }

    static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static void emit(String line) {
        synchronized (OUT) {
            OUT.println("#BN " + line);
        }
    }
}
