package dev.jv2p.mesh;

import dev.jv2p.bench.jmh.JmhSettings;
import java.util.concurrent.ThreadLocalRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * The broadcast seen-cache, at its default bounds (60 s window, 100,000 ids) and full: every
 * {@code addFresh} records a new id and evicts the oldest; {@code addDuplicate} meets an id it
 * holds (the relay path's drop). {@link SeenCache} is package-private, so this benchmark lives in
 * {@code dev.jv2p.mesh} on the class path rather than widening mesh-core's API for it.
 */
public class SeenCacheBenchmark extends JmhSettings {
    private static final int IDS = 1 << 17;
    private static final int CAPACITY = 100_000;
    private static final long NOW = 1_760_000_000L;

    private byte[][] ids;
    private SeenCache cache;
    private byte[] held;
    private int next;

    @Setup
    public void setUp() {
        ids = new byte[IDS][];
        for (int i = 0; i < IDS; i++) {
            ids[i] = new byte[32];
            ThreadLocalRandom.current().nextBytes(ids[i]);
        }
        cache = new SeenCache(60, CAPACITY);
        for (int i = 0; i < CAPACITY; i++) {
            cache.add(ids[i], NOW, NOW);
        }
        held = ids[CAPACITY - 1];
        next = CAPACITY;
    }

    @Benchmark
    public boolean addFresh() {
        // Ids cycle through 2^17 > capacity, so each one was evicted before it comes round again.
        byte[] id = ids[next++ & (IDS - 1)];
        return cache.add(id, NOW, NOW);
    }

    @Benchmark
    public boolean addDuplicate() {
        return cache.add(held, NOW, NOW);
    }
}
