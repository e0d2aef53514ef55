package dev.jv2p.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeenCacheTest {
    private static byte[] id(int n) {
        byte[] b = new byte[32];
        b[0] = (byte) n;
        b[1] = (byte) (n >> 8);
        return b;
    }

    @Test
    void aSecondCopyIsRecognised() {
        SeenCache cache = new SeenCache(60, 100);
        assertTrue(cache.add(id(1), 1000, 1000));
        assertFalse(cache.add(id(1), 1000, 1005));
    }

    /** A checksum covers the whole payload, the time included: it alone identifies a message. */
    @Test
    void theChecksumAloneIsTheId() {
        SeenCache cache = new SeenCache(60, 100);
        assertTrue(cache.add(id(1), 1000, 1000));
        assertFalse(cache.add(id(1), 1001, 1001));
        assertTrue(cache.add(id(2), 1000, 1001));
        byte[] frame = new byte[40];
        System.arraycopy(id(2), 0, frame, 0, 32);
        assertTrue(cache.contains(frame, 0), "the checksum read in place at the head of a block");
    }

    @Test
    void idsOlderThanTheWindowAreForgotten() {
        SeenCache cache = new SeenCache(60, 100);
        cache.add(id(1), 1000, 1000);
        cache.add(id(2), 1030, 1030);
        cache.prune(1061);
        assertEquals(1, cache.size());
        assertFalse(cache.contains(id(1)));
        assertTrue(cache.contains(id(2)));
    }

    @Test
    void atTheSizeBoundTheOldestIdGoesFirst() {
        SeenCache cache = new SeenCache(60, 3);
        for (int i = 0; i < 5; i++) {
            cache.add(id(i), 1000, 1000);
        }
        assertEquals(3, cache.size());
        assertEquals(2, cache.evictedForSize());
        assertFalse(cache.contains(id(0)));
        assertTrue(cache.contains(id(4)));
    }

    @Test
    void theCacheNeverGrowsBeyondItsBound() {
        SeenCache cache = new SeenCache(60, 1000);
        for (int i = 0; i < 50_000; i++) {
            cache.add(id(i), 1000 + i / 100, 1000 + i / 100);
            assertTrue(cache.size() <= 1000);
        }
    }

    /**
     * The cache against a plain model (a linked map in insertion order) under seeded random
     * adds, repeats, clock steps and evictions, with few distinct ids so that probe chains
     * wrap and deletions shift them, checking every answer and the size after each step.
     */
    @Test
    void agreesWithAModelUnderRandomUse() {
        for (long seed = 1; seed <= 40; seed++) {
            Random random = new Random(seed);
            int max = 1 + random.nextInt(seed % 2 == 0 ? 40 : 2000);
            long window = 1 + random.nextInt(20);
            SeenCache cache = new SeenCache(window, max);
            LinkedHashMap<List<Long>, Long> model = new LinkedHashMap<>();
            long now = 1_000;
            int universe = 1 + random.nextInt(3 * max);
            for (int step = 0; step < 20_000; step++) {
                if (random.nextInt(50) == 0) {
                    now += random.nextInt((int) window + 2);
                }
                int n = random.nextInt(universe);
                long time = now - random.nextInt(3);
                Iterator<Map.Entry<List<Long>, Long>> it = model.entrySet().iterator();
                while (it.hasNext() && it.next().getValue() < now - window) {
                    it.remove();
                }
                List<Long> key = List.of((long) n);
                boolean fresh = !model.containsKey(key);
                if (fresh) {
                    model.put(key, now);
                    if (model.size() > max) {
                        Iterator<List<Long>> oldest = model.keySet().iterator();
                        oldest.next();
                        oldest.remove();
                    }
                }
                assertEquals(fresh, cache.add(wide(n), time, now), "seed " + seed + " step " + step);
                assertEquals(model.size(), cache.size(), "seed " + seed + " step " + step);
            }
            for (List<Long> key : model.keySet()) {
                assertTrue(cache.contains(wide((int) (long) key.get(0))), "seed " + seed);
            }
        }
    }

    /** An id whose hash bits vary only a little, so that ids crowd the same table slots. */
    private static byte[] wide(int n) {
        byte[] b = new byte[32];
        b[7] = (byte) n;
        b[6] = (byte) (n >> 8);
        b[15] = (byte) (n * 31);
        return b;
    }
}
