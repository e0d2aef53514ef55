package dev.jv2p.bench.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** How the harness starts the nodes of a system: Java nodes ({@link BenchNode}) or js2p bench nodes. */
final class Launchers {
    /** The same for every Java node: default collector (G1), IPv4 loopback; the heap is added per run. */
    static final List<String> JVM_OPTIONS =
            List.of("-Djava.net.preferIPv4Stack=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    private Launchers() {}

    static boolean isJs2p(String system) {
        return system.startsWith("js2p");
    }

    /**
     * How to start a node of {@code system} ({@code js2p} is a Plaintext js2p node, {@code js2p-ssl}
     * an SSL one; any other name is a {@link BenchNode} system) with logs named after {@code label};
     * throws {@link IllegalStateException} saying why it cannot.
     */
    static SystemRun.Launcher of(String system, String label, String heap, Path buildDir, Path logs)
            throws IOException, InterruptedException {
        int[] generation = new int[3];
        if (!isJs2p(system)) {
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String classPath = System.getProperty("java.class.path");
            return (index, ports, watch) -> {
                List<String> cmd = new ArrayList<>(List.of(java, "-Xms" + heap, "-Xmx" + heap));
                cmd.addAll(JVM_OPTIONS);
                cmd.addAll(extraJvmOptions(system, index, generation[index]));
                cmd.addAll(List.of(
                        "-cp", classPath, BenchNode.class.getName(), system, String.valueOf(index), join(ports)));
                return start(label, index, watch, cmd, Map.of(), logs, generation);
            };
        }
        Path node = Js2pSetup.node().orElseThrow(() -> new IllegalStateException("no node on the PATH"));
        Path js2pDir = buildDir.resolve("js2p");
        Path script = Js2pSetup.prepare(js2pDir);
        Map<String, String> env = Map.of("JS2P_ENCRYPTION", system.equals("js2p-ssl") ? "SSL" : "Plaintext");
        return (index, ports, watch) -> {
            List<String> cmd = new ArrayList<>(List.of(
                    node.toString(),
                    "--expose-gc",
                    script.toString(),
                    js2pDir.toString(),
                    String.valueOf(index),
                    join(ports)));
            return start(label, index, watch, cmd, env, logs, generation);
        };
    }

    /**
     * Options from the environment variable {@code BENCH_NODE_JAVA_OPTS} for every Java node, for
     * profiling (for example {@code -XX:StartFlightRecording=filename=/tmp/{system}-{index}-{generation}.jfr});
     * {@code {system}}, {@code {index}} and {@code {generation}} (0, then 1 for the late joiner
     * that replaces node 2) are replaced.
     */
    private static List<String> extraJvmOptions(String system, int index, int generation) {
        String opts = System.getenv("BENCH_NODE_JAVA_OPTS");
        if (opts == null || opts.isBlank()) {
            return List.of();
        }
        return List.of(opts.replace("{system}", system)
                .replace("{index}", String.valueOf(index))
                .replace("{generation}", String.valueOf(generation))
                .trim()
                .split("\\s+"));
    }

    private static NodeProcess start(
            String label,
            int index,
            String watch,
            List<String> cmd,
            Map<String, String> env,
            Path logs,
            int[] generation)
            throws IOException {
        if (watch != null) {
            cmd.addAll(List.of(watch.split(" ")));
        }
        Path log = SystemRun.logFile(logs, label, index, generation[index]++);
        return NodeProcess.start(label + "-" + index, cmd, env, log);
    }

    private static String join(List<Integer> ports) {
        StringBuilder sb = new StringBuilder();
        for (int p : ports) {
            sb.append(sb.length() == 0 ? "" : ",").append(p);
        }
        return sb.toString();
    }

    /** Ports the OS has just handed out; js2p cannot listen on port 0, and every system needs its peers' ports. */
    static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(s);
                ports.add(s.getLocalPort());
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }
}
