package dev.jv2p.bench.durable;

import dev.jv2p.bench.jmh.Payloads;
import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.sync.Durability;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * How long a durable node takes from launch to a {@code get} of every key after a restart:
 * fills a data directory with {@code entries} keys (16-byte keys, 100-byte values, as every
 * benchmark), closes the node (which leaves a snapshot), then launches a fresh JVM on the
 * directory {@code runs} times and reports, per run, the JVM's start (launch to {@code main}),
 * the node's start (loading snapshot and log, entry hashes and read view included), the reads
 * of every key, and the process's CPU time to then; then, in another fresh JVM, the engine
 * alone ({@link Phases}): the load, and the first bucket digest. Times are {@code
 * System.nanoTime()}, CLOCK_MONOTONIC on Linux: one clock for both processes.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.jv2p.bench.durable.RestartTime [entries] [runs]
 * [heap]} (defaults 1000000, 5, 2g); {@code -Drestart.jvmArgs="..."} adds options to the
 * launched JVMs (another collector, say). See docs/BENCHMARKS.md.
 */
public final class RestartTime {
    private static final int CHUNK = 1000;

    private RestartTime() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            Child.run(Path.of(args[1]), Integer.parseInt(args[2]));
            return;
        }
        if (args.length > 0 && args[0].equals("phases")) {
            Phases.measure(Path.of(args[1])).forEach((k, v) -> System.out.println(k + " " + v));
            return;
        }
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String heap = args.length > 2 ? args[2] : "2g";
        Path dir = Files.createTempDirectory("jv2p-restart");
        long filled = fill(dir, entries);
        System.out.printf(
                "%,d entries written and closed in %,d ms; directory %s holds %,d bytes%n",
                entries, filled / 1_000_000, dir, size(dir));
        System.out.println(
                "run  jvm-start  node-start  get-all  launch->all-read  cpu-to-all-read   load  digest  (ms)");
        for (int run = 1; run <= runs; run++) {
            Map<String, Long> t = launch(dir, "child", entries, heap);
            Map<String, Long> p = launch(dir, "phases", entries, heap);
            long launched = t.get("launch");
            System.out.printf(
                    "%3d  %9d  %10d  %7d  %16d  %15d  %5d  %6d%n",
                    run,
                    ms(t.get("main") - launched),
                    ms(t.get("started") - t.get("main")),
                    ms(t.get("read") - t.get("started")),
                    ms(t.get("read") - launched),
                    ms(t.get("cpuRead")),
                    ms(p.get("load")),
                    ms(p.get("digest")));
        }
    }

    private static SyncConfig config(Path dir) {
        return SyncConfig.builder()
                .mesh(MeshConfig.builder().bindHost("127.0.0.1").port(0).build())
                .dataDirectory(dir)
                .durability(Durability.GROUP_COMMIT)
                .build();
    }

    /** Writes {@code entries} keys in updates of {@value #CHUNK}, waits until all are in the log, closes. */
    private static long fill(Path dir, int entries) {
        long start = System.nanoTime();
        try (SyncSocket node = SyncSocket.start(config(dir))) {
            List<CompletableFuture<Void>> pending = new ArrayList<>();
            for (int i = 0; i < entries; i += CHUNK) {
                Map<String, Object> chunk = new HashMap<>();
                for (int j = i; j < Math.min(entries, i + CHUNK); j++) {
                    chunk.put(Payloads.key('k', j), Payloads.value(j));
                }
                pending.add(node.updateAsync(chunk));
                if (pending.size() >= 64) {
                    pending.remove(0).join();
                }
            }
            pending.forEach(CompletableFuture::join);
        }
        return System.nanoTime() - start;
    }

    private static Map<String, Long> launch(Path dir, String mode, int entries, String heap)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xms" + heap, "-Xmx" + heap));
        String extra = System.getProperty("restart.jvmArgs", "").strip();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        cmd.addAll(List.of(
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp",
                System.getProperty("java.class.path"),
                RestartTime.class.getName(),
                mode,
                dir.toString(),
                Integer.toString(entries)));
        Map<String, Long> times = new HashMap<>();
        times.put("launch", System.nanoTime());
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                String[] parts = line.split(" ");
                if (parts.length == 2) {
                    times.put(parts[0], Long.parseLong(parts[1]));
                }
            }
        }
        if (p.waitFor() != 0 || times.size() < 3) {
            throw new IllegalStateException("the restarted node failed (exit " + p.exitValue() + "): " + times);
        }
        return times;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static long size(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /** The restarted node, in its own JVM: prints each time as {@code name nanos}. */
    private static final class Child {
        static void run(Path dir, int entries) {
            long main = System.nanoTime();
            SyncSocket node = SyncSocket.start(config(dir));
            long started = System.nanoTime();
            long cpuStarted = cpu();
            int missing = 0;
            for (int i = 0; i < entries; i++) {
                if (node.get(Payloads.key('k', i)) == null) {
                    missing++;
                }
            }
            long read = System.nanoTime();
            long cpuRead = cpu();
            if (missing > 0) {
                throw new IllegalStateException(missing + " keys missing after the restart");
            }
            System.out.println("main " + main);
            System.out.println("started " + started);
            System.out.println("read " + read);
            System.out.println("cpuStarted " + cpuStarted);
            System.out.println("cpuRead " + cpuRead);
            System.out.flush();
            System.exit(0); // not closed, so no closing snapshot: the directory stays as filled
        }

        /** CPU time of the whole process so far (every thread, the JIT and GC included). */
        private static long cpu() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }
    }
}
