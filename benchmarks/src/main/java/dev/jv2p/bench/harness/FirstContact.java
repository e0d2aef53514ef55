package dev.jv2p.bench.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * First contact: how long a real js2p peer that dials a jv2p node started a moment before takes
 * to hold that node's existing keys. For each transport and each of {@code --nodes} trials: a
 * fresh jv2p {@link BenchNode} (its own JVM) starts and writes {@code --keys} entries; then a
 * fresh js2p bench node with the same transport starts and dials it; the figure is the time from
 * the js2p node's dial ({@code dialing} event, just before {@code connect}) to the moment it holds
 * every key ({@code full} event), and to its {@code connect} event on the way. {@code TLS} is
 * jv2p's own transport, which js2p does not speak: there the peer that dials is a fresh jv2p
 * node, timed from its {@code dialing} event to its {@code joined} (handshake done) and
 * {@code full} events. Run from the repository root after the benchmarks build:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.jv2p.bench.harness.FirstContact
 *      [--transports Plaintext,SSL,TLS] [--nodes 10] [--keys 100]
 * </pre>
 *
 * Prints the medians, min and max per transport, and every trial. Needs {@code node} and
 * {@code npm} (js2p is installed as for the harness).
 */
public final class FirstContact {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private FirstContact() {}

    public static void main(String[] args) throws Exception {
        List<String> transports = List.of("Plaintext", "SSL", "TLS");
        int trials = 10;
        int keys = 100;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String v = args[++i];
            switch (name) {
                case "--transports" -> transports = List.of(v.split(","));
                case "--nodes" -> trials = Integer.parseInt(v);
                case "--keys" -> keys = Integer.parseInt(v);
                default ->
                    throw new IllegalArgumentException("unknown argument " + name
                            + "; options: --transports Plaintext,SSL,TLS --nodes 10 --keys 100");
            }
        }
        Path buildDir = Harness.buildDir();
        Path logs = buildDir.resolve("harness-logs")
                .resolve("first-contact-"
                        + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now()));
        Files.createDirectories(logs);
        System.out.println("logs in " + logs + "; load average " + Harness.loadAverage());
        for (String transport : transports) {
            double[] connected = new double[trials];
            double[] full = new double[trials];
            for (int t = 0; t < trials; t++) {
                double[] ms = trial(transport, t, keys, buildDir, logs);
                connected[t] = ms[0];
                full[t] = ms[1];
                System.out.printf(
                        Locale.ROOT,
                        "%s trial %d: connected after %.1f ms, holds the keys after %.1f ms%n",
                        transport,
                        t + 1,
                        ms[0],
                        ms[1]);
            }
            System.out.printf(
                    Locale.ROOT,
                    "%s dials a fresh jv2p node, %s, median (min–max) of %d nodes: dial → connect event %s ms;"
                            + " dial → holds its %d keys %s ms%n",
                    transport.equals("TLS") ? "jv2p" : "js2p",
                    transport,
                    trials,
                    summary(connected),
                    keys,
                    summary(full));
        }
        System.out.println("load average " + Harness.loadAverage());
    }

    private static String summary(double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return String.format(
                Locale.ROOT, "%.1f (%.1f–%.1f)", (sorted[(n - 1) / 2] + sorted[n / 2]) / 2, sorted[0], sorted[n - 1]);
    }

    /** Milliseconds from the js2p node's dial to its {@code connect} event and to holding every key. */
    private static double[] trial(String transport, int t, int keys, Path buildDir, Path logs) throws Exception {
        boolean ssl = transport.equals("SSL");
        boolean tls = transport.equals("TLS");
        if (!ssl && !tls && !transport.equals("Plaintext")) {
            throw new IllegalArgumentException("transport " + transport + ": Plaintext, SSL or TLS");
        }
        List<Integer> ports = Launchers.freePorts(2);
        String label = "first-contact-" + transport + "-" + (t + 1);
        List<NodeProcess> started = new ArrayList<>();
        try {
            String system = ssl ? "jv2p-ssl" : tls ? "jv2p-tls" : "jv2p";
            NodeProcess jv = Launchers.of(system, label + "-jv2p", "256m", buildDir, logs)
                    .launch(0, ports, null);
            started.add(jv);
            jv.awaitEvent(WAIT, "loaded");
            jv.call("write k " + keys + " put 1000", WAIT);
            // TLS is jv2p's own transport: the peer that dials is a fresh jv2p node, which emits
            // "dialing" just before it dials and "joined" once the handshake is done
            NodeProcess js = tls
                    ? Launchers.of(system, label + "-dialer", "256m", buildDir, logs)
                            .launch(1, ports, "k " + keys)
                    : Launchers.of(ssl ? "js2p-ssl" : "js2p", label + "-js2p", "", buildDir, logs)
                            .launch(1, ports, "k " + keys);
            started.add(js);
            long dialing = Long.parseLong(js.awaitEvent(WAIT, "dialing")[1]);
            long joined = Long.parseLong(js.awaitEvent(WAIT, "joined")[1]);
            long full = Long.parseLong(js.awaitEvent(WAIT, "full", "k")[2]);
            return new double[] {(joined - dialing) / 1e6, (full - dialing) / 1e6};
        } finally {
            started.forEach(NodeProcess::close);
        }
    }
}
