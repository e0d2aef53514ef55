package dev.jv2p.sync;

import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes queued by another thread and refused on the loop; loop-owned. A caller that can no
 * longer hear of it ({@code set}, {@code del}, {@code update} returned) gets a warning the
 * first time each key is refused (the set of warned keys is bounded: when full it starts
 * over), and every later one at DEBUG.
 */
final class QueuedRefusals {
    /** The warning is the socket's: users configure its logger, not this class's. */
    private static final Logger LOG = LoggerFactory.getLogger(SyncSocket.class);

    private static final int MAX_WARNED_KEYS = 1024;
    private final String node;
    private final Set<Key> warned = new HashSet<>();
    private long count;

    QueuedRefusals(String node) {
        this.node = node;
    }

    /** Counts a refusal of a queued write of {@code key}; on the event loop. */
    void refused(Key key, RuntimeException e, boolean callerReturned) {
        count++;
        if (!callerReturned) {
            return;
        }
        if (warned.size() >= MAX_WARNED_KEYS) {
            warned.clear();
        }
        if (warned.add(key)) {
            LOG.warn(
                    "node {}: a write of {} queued by a caller that has returned was refused on the event "
                            + "loop: {} (counted in status().queuedWritesRefused(); later refusals of this key are "
                            + "logged at DEBUG)",
                    node,
                    key,
                    e.getMessage());
        } else {
            LOG.debug("node {}: a queued write of {} was refused on the event loop: {}", node, key, e.getMessage());
        }
    }

    /** Refusals so far; read on the event loop, or once the node is closed. */
    long count() {
        return count;
    }
}
