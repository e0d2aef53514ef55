package dev.jv2p.sync.internal;

/**
 * A store's running counts: keys with a value, tombstones held, the bytes of the live keys,
 * writes merged and writes refused by a lease.
 */
final class StoreFigures {
    private int liveKeys;
    private int tombstones;
    private long liveBytes;
    private long writesMerged;
    private long leaseRefusals;

    /** A write was applied with {@code outcome}. */
    void applied(ApplyResult.Outcome outcome) {
        if (outcome == ApplyResult.Outcome.REFUSED_LEASE) {
            leaseRefusals++;
        } else if (outcome != ApplyResult.Outcome.IGNORED) {
            writesMerged++;
        }
    }

    long writesMerged() {
        return writesMerged;
    }

    long leaseRefusals() {
        return leaseRefusals;
    }

    /** A key's state went from {@code before} to {@code after} (either {@code null}: none). */
    void changed(Entry before, Entry after) {
        liveKeys += isLive(after) - isLive(before);
        tombstones += isTombstone(after) - isTombstone(before);
        liveBytes += bytes(after) - bytes(before);
    }

    /** A tombstone was collected. */
    void collected() {
        tombstones--;
    }

    int liveKeys() {
        return liveKeys;
    }

    int tombstones() {
        return tombstones;
    }

    long liveBytes() {
        return liveBytes;
    }

    private static int isLive(Entry e) {
        return e != null && !e.isTombstone() ? 1 : 0;
    }

    private static int isTombstone(Entry e) {
        return e != null && e.isTombstone() ? 1 : 0;
    }

    private static long bytes(Entry e) {
        return isLive(e) == 0 ? 0 : e.key().length() + ValueSizes.estimate(e.value());
    }
}
