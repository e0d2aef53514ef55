package dev.jv2p.bench.jmh;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.sync.Durability;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bulk {@code set} on one node, as a writer sees it: {@value #BATCH} new keys (16-byte keys,
 * 100-byte values) with {@code setAsync}, then a wait until every one is acknowledged, that is,
 * in the log for a durable node ({@code GROUP_COMMIT}, {@code OS}) or forced to disk ({@code
 * ALWAYS}); {@code MEMORY} is a node without a data directory. Reports the time per write. A
 * fresh node (and data directory, under {@code java.io.tmpdir}) per iteration keeps the store at
 * what one iteration writes; snapshots the log's growth calls for are part of the cost. Longer
 * iterations and two forks than the other benchmarks: one batch takes a good part of a second
 * on a loaded machine.
 */
@Fork(
        value = 2,
        jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 5)
public class DurableSetBenchmark extends JmhSettings {
    static final int BATCH = 10_000;

    @Param({"MEMORY", "GROUP_COMMIT", "OS", "ALWAYS"})
    public String store;

    private final CompletableFuture<?>[] acks = new CompletableFuture<?>[BATCH];
    private final String value = Payloads.value(0);
    private SyncSocket node;
    private Path dir;
    private long next;

    @Setup(Level.Iteration)
    public void start() throws IOException {
        SyncConfig.Builder config = SyncConfig.builder()
                .mesh(MeshConfig.builder().bindHost("127.0.0.1").port(0).build());
        if (!store.equals("MEMORY")) {
            dir = Files.createTempDirectory("jv2p-bench");
            config.dataDirectory(dir).durability(Durability.valueOf(store));
        }
        node = SyncSocket.start(config.build());
    }

    @TearDown(Level.Iteration)
    public void stop() throws IOException {
        node.close();
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(DurableSetBenchmark::delete);
            }
        }
    }

    private static void delete(Path p) {
        try {
            Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void setAsync() {
        for (int i = 0; i < BATCH; i++) {
            acks[i] = node.setAsync(Payloads.key('d', next++), value);
        }
        CompletableFuture.allOf(acks).join();
    }
}
