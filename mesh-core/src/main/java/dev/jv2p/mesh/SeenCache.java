package dev.jv2p.mesh;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Broadcast ids seen recently: (checksum, time) pairs with the second each was recorded, and
 * nothing else. Bounded by age (the broadcast window) and by count. At the count bound the
 * oldest id is forgotten first; a copy of that broadcast arriving again inside its window
 * would then be delivered a second time, so the bound should exceed the number of
 * broadcasts a mesh carries per window. Owned by the node's event loop; not thread-safe.
 */
final class SeenCache {
    private final long windowSeconds;
    private final int maxEntries;
    private final LinkedHashMap<Key, Long> entries = new LinkedHashMap<>();
    private long evictedForSize;

    SeenCache(long windowSeconds, int maxEntries) {
        this.windowSeconds = windowSeconds;
        this.maxEntries = maxEntries;
    }

    /** Records the id; returns {@code false} if it was already there. */
    boolean add(byte[] checksum, long time, long nowSeconds) {
        prune(nowSeconds);
        Key key = new Key(ByteBuffer.wrap(checksum.clone()), time);
        if (entries.containsKey(key)) {
            return false;
        }
        entries.put(key, nowSeconds);
        if (entries.size() > maxEntries) {
            Iterator<Map.Entry<Key, Long>> it = entries.entrySet().iterator();
            it.next();
            it.remove();
            evictedForSize++;
        }
        return true;
    }

    boolean contains(byte[] checksum, long time) {
        return entries.containsKey(new Key(ByteBuffer.wrap(checksum), time));
    }

    int size() {
        return entries.size();
    }

    long evictedForSize() {
        return evictedForSize;
    }

    /** Drops ids recorded more than the window ago; insertion order is time order. */
    void prune(long nowSeconds) {
        Iterator<Map.Entry<Key, Long>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue() >= nowSeconds - windowSeconds) {
                break;
            }
            it.remove();
        }
    }

    private record Key(ByteBuffer checksum, long time) {
    }
}
