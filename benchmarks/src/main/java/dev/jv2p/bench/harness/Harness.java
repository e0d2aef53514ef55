package dev.jv2p.bench.harness;

import dev.jv2p.bench.harness.HarnessOptions.Mode;
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
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Side-by-side macro benchmark: for each system, three nodes in separate processes on loopback,
 * measured by {@link SystemRun}, cold (fresh nodes) and warm (after a warm-up load), {@code --runs}
 * times with the order of systems rotated each run; then one table per mode (medians, with
 * min–max when there are several runs), printed and appended to
 * {@code benchmarks/target/harness-results.md} (beside the jar), or to the file {@code --doc}
 * names, such as {@code docs/benchmarks-log-2026.md} for a run worth keeping. Run from the
 * repository root after {@code mvn -B -q -DskipTests package -pl benchmarks -am}:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.jv2p.bench.harness.Harness [OPTIONS]
 * </pre>
 *
 * with the options of {@link HarnessOptions#USAGE}.
 *
 * Not a test: it takes several minutes and its figures depend on the machine.
 */
public final class Harness {
    /** The same for every Java node: default collector (G1), IPv4 loopback; the heap is added per run. */
    static final List<String> JVM_OPTIONS =
            List.of("-Djava.net.preferIPv4Stack=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    private Harness() {}

    public static void main(String[] args) throws Exception {
        Path buildDir = buildDir();
        // Never into docs/ unless asked (--doc): a run is kept in the build directory.
        HarnessOptions options = HarnessOptions.parse(args, buildDir.resolve("harness-results.md"));
        Path logs = buildDir.resolve("harness-logs")
                .resolve(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now()));
        Files.createDirectories(logs);
        List<String> loads = new ArrayList<>();
        loads.add(loadAverage());
        System.out.println("logs in " + logs + "; load average " + loads.get(0));

        Map<Mode, Map<String, List<Figures>>> results = new EnumMap<>(Mode.class);
        for (int run = 0; run < options.runs(); run++) {
            for (Mode mode : options.modes()) {
                for (String system : options.order(run)) {
                    Figures f = runOnce(options, system, mode, run, buildDir, logs);
                    results.computeIfAbsent(mode, m -> new LinkedHashMap<>())
                            .computeIfAbsent(system, s -> new ArrayList<>())
                            .add(f);
                }
            }
            loads.add(loadAverage());
            System.out.println("run " + (run + 1) + " of " + options.runs() + " done; load average "
                    + loads.get(loads.size() - 1));
        }
        StringBuilder tables = new StringBuilder();
        for (Mode mode : options.modes()) {
            List<Figures> medians = new ArrayList<>();
            for (String system : options.systems()) {
                medians.add(Figures.median(results.get(mode).get(system)));
            }
            tables.append("\n#### ")
                    .append(mode.label())
                    .append(mode == Mode.COLD ? ": fresh nodes" : ": after the warm-up")
                    .append(options.runs() > 1 ? ", median (min–max) of " + options.runs() + " runs" : "")
                    .append("\n\n")
                    .append(new Report(medians).markdown());
        }
        System.out.println(tables);
        if (options.doc().isPresent()) {
            append(options.doc().get(), tables.toString(), args, loads);
            System.out.println("appended to " + options.doc().get());
        }
    }

    /** One system in one mode: three fresh nodes through every phase; a system that cannot run says why. */
    private static Figures runOnce(HarnessOptions options, String system, Mode mode, int run, Path buildDir, Path logs)
            throws IOException, InterruptedException {
        int entries = options.entries(system, mode);
        if (system.equals("js2p") && mode == Mode.WARM) {
            Figures f = new Figures(system, entries);
            f.note = "cold only (a warm-up of " + options.warmupWrites() + " writes takes js2p too long)";
            return f;
        }
        String label = system + "-" + mode.label() + "-r" + (run + 1);
        SystemRun.Launcher launcher;
        try {
            launcher = launcher(system, label, options.heap(mode), buildDir, logs);
        } catch (IllegalStateException e) {
            Figures f = new Figures(system, entries);
            f.note = "not run: " + e.getMessage();
            return f;
        }
        int warmupWrites = mode == Mode.WARM ? options.warmupWrites() : 0;
        int warmupSingles = mode == Mode.WARM ? options.warmupSingles() : 0;
        return new SystemRun(label, launcher, entries, options.latencyWrites(), warmupWrites, warmupSingles)
                .run(freePorts(3))
                .as(system);
    }

    /** How to start a node of {@code system}; throws {@link IllegalStateException} saying why it cannot. */
    private static SystemRun.Launcher launcher(String system, String label, String heap, Path buildDir, Path logs)
            throws IOException, InterruptedException {
        int[] generation = new int[3];
        if (!system.equals("js2p")) {
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String classPath = System.getProperty("java.class.path");
            return (index, ports, watch) -> {
                List<String> cmd = new ArrayList<>(List.of(java, "-Xms" + heap, "-Xmx" + heap));
                cmd.addAll(JVM_OPTIONS);
                cmd.addAll(extraJvmOptions(system, index));
                cmd.addAll(List.of(
                        "-cp", classPath, BenchNode.class.getName(), system, String.valueOf(index), join(ports)));
                return start(label, index, watch, cmd, logs, generation);
            };
        }
        Path node = Js2pSetup.node().orElseThrow(() -> new IllegalStateException("no node on the PATH"));
        Path js2pDir = buildDir.resolve("js2p");
        Path script = Js2pSetup.prepare(js2pDir);
        return (index, ports, watch) -> {
            List<String> cmd = new ArrayList<>(List.of(
                    node.toString(),
                    "--expose-gc",
                    script.toString(),
                    js2pDir.toString(),
                    String.valueOf(index),
                    join(ports)));
            return start(label, index, watch, cmd, logs, generation);
        };
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

    private static void append(Path doc, String tables, String[] args, List<String> loads) throws IOException {
        String command = "java -cp benchmarks/target/benchmarks.jar " + Harness.class.getName()
                + (args.length == 0 ? "" : " " + String.join(" ", args));
        String text = "\n### Run of "
                + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                        ZonedDateTime.now().withNano(0))
                + "\n\n- machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + cpuModel()
                + "; " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + "\n- load average (1, 5, 15 min) before the first run and after each: " + String.join(" / ", loads)
                + "\n- command: `" + command + "`\n" + tables;
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
