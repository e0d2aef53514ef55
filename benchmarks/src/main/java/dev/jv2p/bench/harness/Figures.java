package dev.jv2p.bench.harness;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What one system scored; a missing figure was not measured (or failed, see {@link #note}). */
final class Figures {
    /** The figures of the table, with their unit and which direction is better. */
    enum Measure {
        BULK_PUT("bulk set/put, entries/s", true),
        BULK_PUT_ALL("bulk update/putAll (batches of 1,000), entries/s", true),
        P50("propagation p50, ms", false),
        P99("propagation p99, ms", false),
        MAX("propagation max, ms", false),
        JOIN_LAUNCH("late join: launch → full, s", false),
        JOIN_AFTER("late join: joined → full, s", false),
        HEAP("heap per entry after bulk, B", false),
        RELAYS("bulk set/put: frames relayed, all nodes", false);

        final String label;
        final boolean higherIsBetter;

        Measure(String label, boolean higherIsBetter) {
            this.label = label;
            this.higherIsBetter = higherIsBetter;
        }
    }

    final String system;
    /** How many entries the bulk and late-join phases used. */
    final int entries;

    final Map<Measure, Double> values = new EnumMap<>(Measure.class);
    /** Lowest and highest of each figure over the runs {@link #median} combined. */
    final Map<Measure, double[]> ranges = new EnumMap<>(Measure.class);
    /** How many runs these figures combine. */
    int runs = 1;

    String note = "";

    Figures(String system, int entries) {
        this.system = system;
        this.entries = entries;
    }

    void put(Measure m, double v) {
        values.put(m, v);
    }

    Double get(Measure m) {
        return values.get(m);
    }

    /** The same figures under another system name (a run's label back to its system). */
    Figures as(String name) {
        Figures f = new Figures(name, entries);
        f.values.putAll(values);
        f.note = note;
        return f;
    }

    /**
     * The median of each figure over {@code runs} of one system (the mean of the two middle ones
     * of an even count), with its range; a figure a run missed is left out of that figure's
     * median, and every distinct note is kept, with the runs it came from.
     */
    static Figures median(List<Figures> runs) {
        Figures first = runs.get(0);
        Figures m = new Figures(first.system, first.entries);
        m.runs = runs.size();
        for (Measure measure : Measure.values()) {
            double[] v = runs.stream()
                    .map(f -> f.get(measure))
                    .filter(Objects::nonNull)
                    .mapToDouble(Double::doubleValue)
                    .sorted()
                    .toArray();
            if (v.length > 0) {
                m.put(measure, (v[(v.length - 1) / 2] + v[v.length / 2]) / 2);
                m.ranges.put(measure, new double[] {v[0], v[v.length - 1]});
            }
        }
        Map<String, List<Integer>> notes = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            String note = runs.get(i).note;
            if (!note.isEmpty()) {
                notes.computeIfAbsent(note, n -> new ArrayList<>()).add(i + 1);
            }
        }
        notes.forEach((note, in) -> m.note += (m.note.isEmpty() ? "" : "; ")
                + (runs.size() > 1 && in.size() < runs.size() ? "run " + in + ": " : "")
                + note);
        return m;
    }

    void fail(String phase, Exception e) {
        addNote(phase + ": " + e.getMessage());
    }

    void addNote(String text) {
        note += (note.isEmpty() ? "" : "; ") + text;
    }
}
