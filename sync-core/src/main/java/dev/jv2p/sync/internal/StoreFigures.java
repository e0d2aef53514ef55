package dev.jv2p.sync.internal;

/** A store's running counts: keys with a value, tombstones held, and the bytes of the live keys. */
final class StoreFigures {
    private int liveKeys;
    private int tombstones;
    private long liveBytes;

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
