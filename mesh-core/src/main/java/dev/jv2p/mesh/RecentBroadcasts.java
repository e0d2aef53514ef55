package dev.jv2p.mesh;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The broadcasts this node sent or relayed last, as blocks (checksum ‖ payload), by id: what
 * a tree link that grafts may ask for again. Bounded by count and by bytes; the oldest go
 * first. Owned by the node's event loop; not thread-safe.
 */
final class RecentBroadcasts {
    private final int maxEntries;
    private final long maxBytes;
    private final Map<BroadcastId, byte[]> blocks = new LinkedHashMap<>();
    private long bytes;

    RecentBroadcasts(int maxEntries, long maxBytes) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /**
     * Keeps {@code block}, whose id is {@code id} (not copied: the caller never changes it),
     * forgetting the oldest beyond the bounds.
     */
    void add(BroadcastId id, byte[] block) {
        if (block.length > maxBytes) {
            return;
        }
        byte[] before = blocks.put(id, block);
        bytes += block.length - (before == null ? 0 : before.length);
        Iterator<byte[]> oldest = blocks.values().iterator();
        while (blocks.size() > maxEntries || bytes > maxBytes) {
            bytes -= oldest.next().length;
            oldest.remove();
        }
    }

    /** The block of {@code id}; null if this node never held it or forgot it. */
    byte[] get(BroadcastId id) {
        return blocks.get(id);
    }

    int size() {
        return blocks.size();
    }
}
