package dev.jv2p.bench.harness;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The harness's command line. Sizes are options so that a smoke run can be small; the defaults
 * are those of the method in {@code docs/BENCHMARKS.md}.
 *
 * @param systems which systems, in the order of the first run (later runs rotate it)
 * @param modes {@code cold}, {@code warm} or both, in that order within each run
 * @param runs how many times everything runs in this invocation
 * @param coldEntries bulk and late-join entries of a cold run
 * @param warmEntries bulk and late-join entries of a warm run
 * @param warmupWrites bulk writes of a warm run's warm-up
 * @param warmupSingles paced single writes (timed by both receivers) of a warm run's warm-up
 * @param js2pEntries the entries js2p uses instead (cold only)
 * @param latencyWrites paced single writes of the propagation phase
 * @param coldHeap, warmHeap the Java nodes' heap ({@code -Xms} and {@code -Xmx})
 * @param doc where the tables are appended; empty: only printed
 */
record HarnessOptions(
        List<String> systems,
        List<Mode> modes,
        int runs,
        int coldEntries,
        int warmEntries,
        int warmupWrites,
        int warmupSingles,
        int js2pEntries,
        int latencyWrites,
        String coldHeap,
        String warmHeap,
        Optional<Path> doc) {

    /** Cold: the phases on three fresh nodes. Warm: the same after a warm-up load. */
    enum Mode {
        COLD,
        WARM;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static final String USAGE = "options: [--systems tcp,jv2p,jv2p-protobuf,jv2p-tls,jgroups,hazelcast,js2p"
            + " (also jv2p-tree, jv2p-flood: the broadcast tree on, off)]"
            + " [--modes cold,warm] [--runs 1] [--entries 100000] [--warm-entries 1000000]"
            + " [--warmup-writes 200000] [--warmup-singles 5000] [--js2p-entries 10000]"
            + " [--latency-writes 1000] [--heap 1g] [--warm-heap 4g] [--doc PATH | --no-doc]";

    static HarnessOptions parse(String[] args, Path defaultDoc) {
        List<String> systems = List.of("tcp", "jv2p", "jv2p-protobuf", "jv2p-tls", "jgroups", "hazelcast", "js2p");
        List<Mode> modes = List.of(Mode.COLD, Mode.WARM);
        int runs = 1;
        int coldEntries = 100_000;
        int warmEntries = 1_000_000;
        int warmupWrites = 200_000;
        int warmupSingles = 5_000;
        int js2pEntries = 10_000;
        int latencyWrites = 1000;
        String coldHeap = "1g";
        String warmHeap = "4g";
        Optional<Path> doc = Optional.of(defaultDoc);
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--no-doc")) {
                doc = Optional.empty();
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value; " + USAGE);
            }
            String v = args[++i];
            switch (name) {
                case "--systems" -> systems = List.of(v.split(","));
                case "--modes" ->
                    modes = List.of(v.split(",")).stream()
                            .map(m -> Mode.valueOf(m.trim().toUpperCase(java.util.Locale.ROOT)))
                            .toList();
                case "--runs" -> runs = positive(name, v);
                case "--entries" -> coldEntries = positive(name, v);
                case "--warm-entries" -> warmEntries = positive(name, v);
                case "--warmup-writes" -> warmupWrites = positive(name, v);
                case "--warmup-singles" -> warmupSingles = positive(name, v);
                case "--js2p-entries" -> js2pEntries = positive(name, v);
                case "--latency-writes" -> latencyWrites = positive(name, v);
                case "--heap" -> coldHeap = v;
                case "--warm-heap" -> warmHeap = v;
                case "--doc" -> doc = Optional.of(Path.of(v));
                default -> throw new IllegalArgumentException("unknown argument " + name + "; " + USAGE);
            }
        }
        return new HarnessOptions(
                systems,
                modes,
                runs,
                coldEntries,
                warmEntries,
                warmupWrites,
                warmupSingles,
                js2pEntries,
                latencyWrites,
                coldHeap,
                warmHeap,
                doc);
    }

    private static int positive(String name, String value) {
        int n;
        try {
            n = Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a whole number, not " + value);
        }
        if (n <= 0) {
            throw new IllegalArgumentException(name + " must be at least 1, not " + value);
        }
        return n;
    }

    /** The bulk entries {@code system} uses in {@code mode}. */
    int entries(String system, Mode mode) {
        if (Launchers.isJs2p(system)) {
            return js2pEntries;
        }
        return mode == Mode.COLD ? coldEntries : warmEntries;
    }

    String heap(Mode mode) {
        return mode == Mode.COLD ? coldHeap : warmHeap;
    }

    /** The systems of run {@code run} (0-based): the list rotated left by {@code run}. */
    List<String> order(int run) {
        int n = systems.size();
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> systems.get((i + run) % n))
                .toList();
    }
}
