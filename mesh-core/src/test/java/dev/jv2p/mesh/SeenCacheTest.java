package dev.jv2p.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void theSameChecksumWithAnotherTimeIsANewMessage() {
        SeenCache cache = new SeenCache(60, 100);
        assertTrue(cache.add(id(1), 1000, 1000));
        assertTrue(cache.add(id(1), 1001, 1001));
    }

    @Test
    void idsOlderThanTheWindowAreForgotten() {
        SeenCache cache = new SeenCache(60, 100);
        cache.add(id(1), 1000, 1000);
        cache.add(id(2), 1030, 1030);
        cache.prune(1061);
        assertEquals(1, cache.size());
        assertFalse(cache.contains(id(1), 1000));
        assertTrue(cache.contains(id(2), 1030));
    }

    @Test
    void atTheSizeBoundTheOldestIdGoesFirst() {
        SeenCache cache = new SeenCache(60, 3);
        for (int i = 0; i < 5; i++) {
            cache.add(id(i), 1000, 1000);
        }
        assertEquals(3, cache.size());
        assertEquals(2, cache.evictedForSize());
        assertFalse(cache.contains(id(0), 1000));
        assertTrue(cache.contains(id(4), 1000));
    }

    @Test
    void theCacheNeverGrowsBeyondItsBound() {
        SeenCache cache = new SeenCache(60, 1000);
        for (int i = 0; i < 50_000; i++) {
            cache.add(id(i), 1000 + i / 100, 1000 + i / 100);
            assertTrue(cache.size() <= 1000);
        }
    }
}
