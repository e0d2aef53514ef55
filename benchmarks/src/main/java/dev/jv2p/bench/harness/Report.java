package dev.jv2p.bench.harness;

import dev.jv2p.bench.harness.Figures.Measure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results table: one row per figure, one column per system, then jv2p's factor over the
 * best other system (above 1 means jv2p is better, whichever direction the figure runs), the
 * goal from issue 7, and whether jv2p meets it.
 */
final class Report {
    private static final List<String> JV2P = List.of("jv2p", "jv2p-protobuf", "jv2p-tls", "jv2p-tree", "jv2p-flood");
    /** The physical limit beside the systems, never one of the "others" jv2p is compared with. */
    private static final String RAW_TCP = "tcp";
    /** Raw bytes of one entry: a 16-byte key and a 100-byte value. */
    private static final double RAW_ENTRY = 116;

    private final List<Figures> systems;

    Report(List<Figures> systems) {
        this.systems = systems;
    }

    String markdown() {
        StringBuilder sb = new StringBuilder("| figure |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Figures f : systems) {
            sb.append(' ')
                    .append(f.system.equals(RAW_TCP) ? "raw TCP (limit)" : f.system)
                    .append(f.entries == entriesOfJv2p() ? "" : " (" + f.entries + ")")
                    .append(" |");
            rule.append("---:|");
        }
        sb.append(" jv2p ÷ best other | goal | met |\n").append(rule).append("---:|---|---|\n");
        for (Measure m : Measure.values()) {
            sb.append("| ").append(m.label).append(" |");
            for (Figures f : systems) {
                sb.append(' ').append(cell(m, f)).append(" |");
            }
            Double factor = factor(m);
            String shown = factor == null ? "—" : String.format(Locale.ROOT, factor < 0.1 ? "%.3f×" : "%.2f×", factor);
            sb.append(' ')
                    .append(shown)
                    .append(" | ")
                    .append(goal(m))
                    .append(" | ")
                    .append(met(m))
                    .append(" |\n");
        }
        Figures tls = find("jv2p-tls");
        Figures plain = find("jv2p");
        Double tlsRate = tls == null ? null : tls.get(Measure.BULK_PUT);
        Double plainRate = plain == null ? null : plain.get(Measure.BULK_PUT);
        if (tlsRate != null && plainRate != null) {
            double share = tlsRate / plainRate;
            sb.append(String.format(
                    Locale.ROOT,
                    "%nTLS keeps %.0f%% of plaintext bulk-put throughput (goal ≥ 50%%: %s).%n",
                    share * 100,
                    share >= 0.5 ? "met" : "not met"));
        }
        for (Figures f : systems) {
            if (!f.note.isEmpty()) {
                sb.append("\n").append(f.system).append(": ").append(f.note).append('\n');
            }
        }
        return sb.toString();
    }

    private int entriesOfJv2p() {
        Figures j = find("jv2p");
        return j == null ? systems.get(0).entries : j.entries;
    }

    private Figures find(String system) {
        for (Figures f : systems) {
            if (f.system.equals(system)) {
                return f;
            }
        }
        return null;
    }

    /** The best figure among the systems that are not jv2p, restricted to {@code names} when given. */
    private Double bestOther(Measure m, List<String> names) {
        Double best = null;
        for (Figures f : systems) {
            Double v = f.get(m);
            if (JV2P.contains(f.system)
                    || f.system.equals(RAW_TCP)
                    || v == null
                    || (names != null && !names.contains(f.system))) {
                continue;
            }
            if (best == null || (m.higherIsBetter ? v > best : v < best)) {
                best = v;
            }
        }
        return best;
    }

    private Double factor(Measure m) {
        Figures j = find("jv2p");
        Double mine = j == null ? null : j.get(m);
        Double best = bestOther(m, null);
        if (mine == null || best == null || mine == 0 || best == 0) {
            return null;
        }
        return m.higherIsBetter ? mine / best : best / mine;
    }

    private static String goal(Measure m) {
        return switch (m) {
            case BULK_PUT -> "≥ 3× JGroups/Hazelcast, ≥ 1000× js2p";
            case BULK_PUT_ALL -> "≥ 2× JGroups/Hazelcast";
            case P50 -> "≤ 0.3 ms";
            case P99 -> "≤ 2 ms";
            case JOIN_LAUNCH -> "≤ 0.5 s";
            case HEAP -> "≤ 2 × 116 B";
            default -> "";
        };
    }

    private String met(Measure m) {
        Figures j = find("jv2p");
        Double v = j == null ? null : j.get(m);
        if (v == null || goal(m).isEmpty()) {
            return "";
        }
        List<String> javaAnchors = List.of("jgroups", "hazelcast");
        return switch (m) {
            case BULK_PUT -> {
                Double java = bestOther(m, javaAnchors);
                Double js = bestOther(m, List.of("js2p"));
                boolean ok = (java == null || v >= 3 * java) && (js == null || v >= 1000 * js);
                yield verdict(ok, java == null && js == null);
            }
            case BULK_PUT_ALL -> {
                Double java = bestOther(m, javaAnchors);
                yield verdict(java != null && v >= 2 * java, java == null);
            }
            case P50 -> verdict(v <= 0.3, false);
            case P99 -> verdict(v <= 2, false);
            case JOIN_LAUNCH -> verdict(v <= 0.5, false);
            case HEAP -> verdict(v <= 2 * RAW_ENTRY, false);
            default -> "";
        };
    }

    private static String verdict(boolean ok, boolean unknown) {
        return unknown ? "?" : ok ? "yes" : "**no**";
    }

    /** The figure, with its min–max over the runs when there were several. */
    private static String cell(Measure m, Figures f) {
        String median = format(m, f.get(m));
        double[] range = f.ranges.get(m);
        if (f.runs < 2 || range == null) {
            return median;
        }
        return median + " (" + format(m, range[0]) + "–" + format(m, range[1]) + ")";
    }

    static String format(Measure m, Double v) {
        if (v == null) {
            return "—";
        }
        return switch (m) {
            case BULK_PUT, BULK_PUT_ALL ->
                v >= 10_000 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.0f", v);
            case P50, P99, MAX -> String.format(Locale.ROOT, v < 10 ? "%.3f" : "%.1f", v);
            case JOIN_LAUNCH, JOIN_AFTER -> String.format(Locale.ROOT, v < 10 ? "%.3f" : "%.1f", v);
            case HEAP -> String.format(Locale.ROOT, "%.0f", v);
            case RELAYS -> String.format(Locale.ROOT, "%.0f", v);
        };
    }

    static List<String> systemsOf(List<Figures> figures) {
        List<String> out = new ArrayList<>();
        figures.forEach(f -> out.add(f.system));
        return out;
    }
}
