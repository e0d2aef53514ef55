package dev.jv2p.cli;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jv2p demo}: a small mesh in one process on loopback — writes, a delta and a delete
 * on different nodes — showing every node converge, with timings.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Start N nodes on loopback, write on each, and show them all converge; exits by itself.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--nodes", defaultValue = "3", description = "How many nodes (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(
            names = "--log-level",
            defaultValue = "warn",
            description = "Log level for stderr (default: ${DEFAULT-VALUE}).")
    String logLevel;

    @Override
    public Integer call() throws InterruptedException {
        if (count < 2 || count > 50) {
            System.err.println("jv2p: --nodes must be 2..50, was " + count);
            return 2;
        }
        try {
            Logging.setLevel(logLevel);
        } catch (IllegalArgumentException e) {
            System.err.println("jv2p: " + e.getMessage());
            return 2;
        }
        PrintStream out = System.out;
        List<SyncSocket> nodes = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                SyncSocket n = SyncSocket.start(SyncConfig.builder()
                        .mesh(MeshConfig.builder().bindHost("127.0.0.1").port(0).build())
                        .build());
                nodes.add(n);
                out.printf(
                        "node %d: %s on port %d%n",
                        i, shortId(n), n.mesh().localAddress().getPort());
            }
            SyncSocket seed = nodes.get(0);
            for (SyncSocket n : nodes.subList(1, nodes.size())) {
                n.mesh()
                        .connect("127.0.0.1", seed.mesh().localAddress().getPort())
                        .join();
            }
            step(
                    out,
                    "mesh formed",
                    t0,
                    () -> nodes.stream().allMatch(n -> !n.mesh().routingTable().isEmpty()));

            long t1 = System.nanoTime();
            nodes.get(0).set("greeting", "hello from node 0");
            nodes.get(1 % count).set("answer", 42L);
            nodes.get(count - 1).applyDelta("config", Map.of("mode", "fast", "replicas", (long) count));
            out.println("wrote: node 0 set greeting, node 1 set answer, node " + (count - 1) + " applied a delta");
            step(out, "all nodes hold 3 keys", t1, () -> converged(nodes, 3));

            long t2 = System.nanoTime();
            nodes.get(1 % count).del("answer");
            nodes.get(count - 1).applyDelta("config", Map.of("mode", "safe"));
            out.println("node 1 deleted answer; node " + (count - 1) + " changed config.mode");
            step(
                    out,
                    "all nodes agree again",
                    t2,
                    () -> converged(nodes, 2)
                            && nodes.stream().allMatch(n -> "safe".equals(((Map<?, ?>) n.get("config")).get("mode"))));
            for (int i = 0; i < count; i++) {
                out.printf("node %d: %s%n", i, render(nodes.get(i)));
            }
            return 0;
        } finally {
            nodes.forEach(SyncSocket::close);
        }
    }

    private static boolean converged(List<SyncSocket> nodes, int size) {
        String first = render(nodes.get(0));
        return nodes.stream().allMatch(n -> n.size() == size && Objects.equals(first, render(n)));
    }

    private static String render(SyncSocket n) {
        StringBuilder sb = new StringBuilder("{");
        n.items()
                .forEach(e -> sb.append(sb.length() > 1 ? ", " : "")
                        .append(e.getKey())
                        .append(": ")
                        .append(ValueJson.render(e.getValue())));
        return sb.append('}').toString();
    }

    /** Waits for the condition (polling every millisecond, for at most 10 s) and reports the time. */
    private static void step(PrintStream out, String what, long since, BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting until " + what);
            }
            Thread.sleep(1);
        }
        out.printf("%-24s after %6.1f ms%n", what, (System.nanoTime() - since) / 1e6);
    }

    private static String shortId(SyncSocket n) {
        return n.id().substring(0, 12) + "…";
    }
}
