package dev.jv2p.bench.durable;

import dev.jv2p.bench.jmh.Payloads;
import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.sync.Durability;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Bulk {@code set} with and without a data directory, measured in the process's CPU time as
 * well as wall time: on a machine shared with other work the wall time of a run says more
 * about the neighbours than about jv2p, while the CPU time a write costs moves much less. For
 * each round and each store ({@code MEMORY}, then {@code GROUP_COMMIT}, alternating which goes
 * first), a fresh node takes {@code warm-up} writes, then {@code writes} timed ones, each a
 * {@code setAsync} of a new key (16 bytes, value 100 bytes), at most 10,000 unacknowledged; the
 * figure ends when every write is acknowledged (in the log, for the durable node).
 *
 * <p>Usage: {@code java -Xms3g -Xmx3g -cp benchmarks.jar dev.jv2p.bench.durable.BulkSetCost
 * [writes] [warm-up] [rounds] [stores]} (defaults 300000, 200000, 3, MEMORY,GROUP_COMMIT; any
 * {@code Durability} may be listed). See docs/BENCHMARKS.md.
 */
public final class BulkSetCost {
    private static final int IN_FLIGHT = 10_000;

    private BulkSetCost() {}

    public static void main(String[] args) throws IOException {
        int writes = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<String> stores = List.of(args.length > 3 ? args[3].split(",") : new String[] {"MEMORY", "GROUP_COMMIT"});
        System.out.println("round  store         writes/s (wall)  CPU µs/write  load");
        for (int round = 1; round <= rounds; round++) {
            List<String> order = new ArrayList<>(stores);
            if (round % 2 == 0) {
                Collections.reverse(order);
            }
            for (String store : order) {
                double[] r = run(store, writes, warmUp);
                System.out.printf(
                        "%5d  %-12s  %15.0f  %12.2f  %.1f%n",
                        round,
                        store,
                        r[0],
                        r[1],
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
        }
    }

    /** Writes per second (wall) and CPU microseconds per write. */
    private static double[] run(String store, int writes, int warmUp) throws IOException {
        SyncConfig.Builder config = SyncConfig.builder()
                .mesh(MeshConfig.builder().bindHost("127.0.0.1").port(0).build());
        Path dir = null;
        if (!store.equals("MEMORY")) {
            dir = Files.createTempDirectory("jv2p-bulk");
            config.dataDirectory(dir).durability(Durability.valueOf(store));
        }
        try (SyncSocket node = SyncSocket.start(config.build())) {
            write(node, 0, warmUp);
            System.gc();
            long cpu = cpu();
            long start = System.nanoTime();
            write(node, warmUp, writes);
            long wall = System.nanoTime() - start;
            long used = cpu() - cpu;
            return new double[] {writes * 1e9 / wall, used / 1e3 / writes};
        } finally {
            if (dir != null) {
                try (var files = Files.walk(dir)) {
                    for (Path p :
                            files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    private static void write(SyncSocket node, long from, int count) {
        String value = Payloads.value(0);
        List<CompletableFuture<Void>> acks = new ArrayList<>(IN_FLIGHT);
        for (long i = from; i < from + count; i++) {
            acks.add(node.setAsync(Payloads.key('b', i), value));
            if (acks.size() == IN_FLIGHT) {
                CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0]))
                        .join();
                acks.clear();
            }
        }
        CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0])).join();
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
