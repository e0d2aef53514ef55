package dev.jv2p.bench.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Side-by-side macro benchmark: for each system, three nodes in separate processes on loopback,
 * measured by {@link SystemRun}; then one table, printed and appended to
 * {@code benchmarks/target/harness-results.md} (beside the jar), or to the file {@code --doc}
 * names, such as {@code docs/benchmarks-log-2026.md} for a run worth keeping. Run from the
 * repository root after {@code mvn -B -q -DskipTests package -pl benchmarks -am}:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.jv2p.bench.harness.Harness
 *      [--systems jv2p,jv2p-protobuf,jv2p-tls,jgroups,hazelcast,js2p] [--entries 100000]
 *      [--js2p-entries 10000] [--latency-writes 1000] [--doc PATH | --no-doc]
 * </pre>
 *
 * Not a test: it takes several minutes and its figures depend on the machine.
 */
public final class Harness {
    /** The same for every Java node: fixed heap, default collector (G1), IPv4 loopback. */
    static final List<String> JVM_OPTIONS = List.of(
            "-Xms1g", "-Xmx1g", "-Djava.net.preferIPv4Stack=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    private Harness() {}

    public static void main(String[] args) throws Exception {
        List<String> systems = List.of("jv2p", "jv2p-protobuf", "jv2p-tls", "jgroups", "hazelcast", "js2p");
        int entries = 100_000;
        int js2pEntries = 10_000;
        int latencyWrites = 1000;
        Path buildDir = buildDir();
        // Never into docs/ unless asked (--doc): a run is kept in the build directory.
        Optional<Path> doc = Optional.of(buildDir.resolve("harness-results.md"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--systems" -> systems = List.of(args[++i].split(","));
                case "--entries" -> entries = Integer.parseInt(args[++i]);
                case "--js2p-entries" -> js2pEntries = Integer.parseInt(args[++i]);
                case "--latency-writes" -> latencyWrites = Integer.parseInt(args[++i]);
                case "--doc" -> doc = Optional.of(Path.of(args[++i]));
                case "--no-doc" -> doc = Optional.empty();
                default ->
                    throw new IllegalArgumentException(
                            "unknown argument " + args[i] + "; see the javadoc of " + Harness.class.getName());
            }
        }
        Path logs = buildDir.resolve("harness-logs")
                .resolve(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now()));
        Files.createDirectories(logs);
        String loadBefore = loadAverage();
        System.out.println("logs in " + logs + "; load average " + loadBefore);

        List<Figures> results = new ArrayList<>();
        for (String system : systems) {
            int n = system.equals("js2p") ? js2pEntries : entries;
            Optional<SystemRun.Launcher> launcher = launcher(system, buildDir, logs, results, n);
            if (launcher.isPresent()) {
                results.add(new SystemRun(system, launcher.get(), n, latencyWrites).run(freePorts(3)));
            }
        }
        String loadAfter = loadAverage();
        String table = new Report(results).markdown();
        System.out.println();
        System.out.println(table);
        if (doc.isPresent()) {
            append(doc.get(), table, args, loadBefore, loadAfter);
            System.out.println("appended to " + doc.get());
        }
    }

    private static Optional<SystemRun.Launcher> launcher(
            String system, Path buildDir, Path logs, List<Figures> results, int entries)
            throws IOException, InterruptedException {
        int[] generation = new int[3];
        if (!system.equals("js2p")) {
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String classPath = System.getProperty("java.class.path");
            return Optional.of((index, ports, watch) -> {
                List<String> cmd = new ArrayList<>(List.of(java));
                cmd.addAll(JVM_OPTIONS);
                cmd.addAll(extraJvmOptions(system, index));
                cmd.addAll(List.of(
                        "-cp", classPath, BenchNode.class.getName(), system, String.valueOf(index), join(ports)));
                return start(system, index, watch, cmd, logs, generation);
            });
        }
        Optional<Path> node = Js2pSetup.node();
        if (node.isEmpty()) {
            Figures f = new Figures(system, entries);
            f.note = "not run: no node on the PATH";
            results.add(f);
            return Optional.empty();
        }
        Path js2pDir = buildDir.resolve("js2p");
        Path script;
        try {
            script = Js2pSetup.prepare(js2pDir);
        } catch (IllegalStateException e) {
            Figures f = new Figures(system, entries);
            f.note = "not run: " + e.getMessage();
            results.add(f);
            return Optional.empty();
        }
        return Optional.of((index, ports, watch) -> {
            List<String> cmd = new ArrayList<>(List.of(
                    node.get().toString(),
                    "--expose-gc",
                    script.toString(),
                    js2pDir.toString(),
                    String.valueOf(index),
                    join(ports)));
            return start(system, index, watch, cmd, logs, generation);
        });
    }

    /**
     * Options from the environment variable {@code BENCH_NODE_JAVA_OPTS} for every Java node, for
     * profiling (for example {@code -XX:StartFlightRecording=filename=/tmp/{system}-{index}.jfr});
     * {@code {system}} and {@code {index}} are replaced.
     */
    private static List<String> extraJvmOptions(String system, int index) {
        String opts = System.getenv("BENCH_NODE_JAVA_OPTS");
        if (opts == null || opts.isBlank()) {
            return List.of();
        }
        return List.of(opts.replace("{system}", system)
                .replace("{index}", String.valueOf(index))
                .trim()
                .split("\\s+"));
    }

    private static NodeProcess start(
            String system, int index, String watch, List<String> cmd, Path logs, int[] generation) throws IOException {
        if (watch != null) {
            cmd.addAll(List.of(watch.split(" ")));
        }
        Path log = SystemRun.logFile(logs, system, index, generation[index]++);
        return NodeProcess.start(system + index, cmd, log);
    }

    private static String join(List<Integer> ports) {
        StringBuilder sb = new StringBuilder();
        for (int p : ports) {
            sb.append(sb.length() == 0 ? "" : ",").append(p);
        }
        return sb.toString();
    }

    /** Ports the OS has just handed out; js2p cannot listen on port 0, and every system needs its peers' ports. */
    private static List<Integer> freePorts(int count) throws IOException {
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

    /** The directory holding the benchmarks jar (or classes): {@code benchmarks/target}. */
    private static Path buildDir() throws Exception {
        Path code = Path.of(Harness.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        return code.getParent();
    }

    private static void append(Path doc, String table, String[] args, String loadBefore, String loadAfter)
            throws IOException {
        String command = "java -cp benchmarks/target/benchmarks.jar " + Harness.class.getName()
                + (args.length == 0 ? "" : " " + String.join(" ", args));
        String text = "\n### Run of "
                + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                        ZonedDateTime.now().withNano(0))
                + "\n\n- machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + cpuModel()
                + "; " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + "\n- load average before / after: " + loadBefore + " / " + loadAfter
                + "\n- command: `" + command + "`\n\n" + table;
        Files.writeString(doc, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static String loadAverage() {
        try {
            String[] w = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return w[0] + " " + w[1] + " " + w[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
