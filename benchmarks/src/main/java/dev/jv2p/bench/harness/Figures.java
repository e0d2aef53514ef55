package dev.jv2p.bench.harness;

import java.util.EnumMap;
import java.util.Map;

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
        HEAP("heap per entry after bulk, B", false);

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

    void fail(String phase, Exception e) {
        note += (note.isEmpty() ? "" : "; ") + phase + ": " + e.getMessage();
    }
}
