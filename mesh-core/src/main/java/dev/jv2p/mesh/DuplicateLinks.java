package dev.jv2p.mesh;

import java.time.Duration;

/**
 * Which of two connections to the same node to keep. Both sides keep the one dialed by the
 * node with the smaller id, so they agree without talking; of two dialed by the same node,
 * the older, unless the older has been silent past the keep-alive timeout (the dialer lost it).
 */
final class DuplicateLinks {
    private final Router router;
    private final Duration keepAliveTimeout;

    DuplicateLinks(Router router, Duration keepAliveTimeout) {
        this.router = router;
        this.keepAliveTimeout = keepAliveTimeout;
    }

    /** Whether {@code candidate} replaces {@code existing}, both to the same node. */
    boolean prefer(Connection candidate, Connection existing) {
        String a = candidate.isOutgoing() ? router.ownId : candidate.id();
        String b = existing.isOutgoing() ? router.ownId : existing.id();
        if (a.equals(b)
                && !candidate.isOutgoing()
                && existing.silentNanos(MonotonicTime.nanos(router.loop)) > keepAliveTimeout.toNanos()) {
            // The peer dialed again while the older connection it dialed has been silent past
            // the keep-alive timeout: the peer has lost that one (its close never arrived),
            // and keeping it would refuse every new connection from the peer.
            return true;
        }
        return !a.equals(b) && a.compareTo(b) < 0;
    }
}
