package dev.jv2p.bench.harness;

import dev.jv2p.bench.harness.HarnessOptions.Mode;
import java.io.IOException;
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
        if (Launchers.isJs2p(system) && mode == Mode.WARM) {
            Figures f = new Figures(system, entries);
            f.note = "cold only (a warm-up of " + options.warmupWrites() + " writes takes js2p too long)";
            return f;
        }
        String label = system + "-" + mode.label() + "-r" + (run + 1);
        SystemRun.Launcher launcher;
        try {
            launcher = Launchers.of(system, label, options.heap(mode), buildDir, logs);
        } catch (IllegalStateException e) {
            Figures f = new Figures(system, entries);
            f.note = "not run: " + e.getMessage();
            return f;
        }
        int warmupWrites = mode == Mode.WARM ? options.warmupWrites() : 0;
        int warmupSingles = mode == Mode.WARM ? options.warmupSingles() : 0;
        return new SystemRun(label, launcher, entries, options.latencyWrites(), warmupWrites, warmupSingles)
                .run(Launchers.freePorts(3))
                .as(system);
    }

    /** The directory holding the benchmarks jar (or classes): {@code benchmarks/target}. */
    static Path buildDir() throws Exception {
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

    static String loadAverage() {
        try {
            String[] w = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return w[0] + " " + w[1] + " " + w[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
