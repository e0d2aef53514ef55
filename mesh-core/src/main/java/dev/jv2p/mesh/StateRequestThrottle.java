package dev.jv2p.mesh;

import java.time.Duration;

/**
 * At most one full state an interval per connection: each costs this node a walk over its
 * whole state and the peer's link a copy of it, so a peer repeating {@code '*'} could
 * otherwise keep the node busy and its queues full. Event loop only.
 */
final class StateRequestThrottle {
    private long lastServedNanos;
    private boolean served;
    private int ignoredInARow;

    /** {@code false} when this request comes too soon after the last one served, counting it. */
    boolean allow(long nowNanos, Duration interval) {
        if (!served || nowNanos - lastServedNanos >= interval.toNanos()) {
            served = true;
            lastServedNanos = nowNanos;
            ignoredInARow = 0;
            return true;
        }
        ignoredInARow++;
        return false;
    }

    /** Requests in a row that came too soon and were ignored. */
    int ignoredInARow() {
        return ignoredInARow;
    }
}
