package dev.jv2p.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

/** The heap a test JVM uses once garbage is collected, to bound what an attack costs a node. */
public final class HeapUse {
    /** How much more heap a node may hold after an attack than before it (issue #8). */
    public static final long ALLOWANCE = 256L << 20;

    private HeapUse() {}

    /** Heap in use right after full collections: roughly the live data. */
    public static long settled() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Fails if the settled heap grew by {@link #ALLOWANCE} or more since {@code before}; prints
     * the growth either way.
     */
    public static void assertBounded(long before, String attack) {
        long after = settled();
        long grown = after - before;
        System.out.printf(
                "heap after %s: %+.1f MiB (%.1f MiB before, %.1f MiB after)%n",
                attack, grown / 1048576.0, before / 1048576.0, after / 1048576.0);
        assertTrue(grown < ALLOWANCE, attack + ": the heap grew by " + grown / 1048576 + " MiB");
    }
}
