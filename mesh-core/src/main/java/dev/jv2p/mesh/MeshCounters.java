package dev.jv2p.mesh;

import dev.jv2p.mesh.internal.wire.Frames;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's traffic counters: written on the event loop, read from any thread by
 * {@link MeshSocket#stats()}.
 */
final class MeshCounters {
    private final AtomicLong framesIn = new AtomicLong();
    private final AtomicLong framesOut = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicLong duplicatesDropped = new AtomicLong();
    private final AtomicLong expiredDropped = new AtomicLong();
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong broadcastsSent = new AtomicLong();
    private final AtomicLong idsAnnounced = new AtomicLong();

    void received(int bodyLength) {
        framesIn.incrementAndGet();
        bytesIn.addAndGet(bodyLength + Frames.PREFIX_LENGTH);
    }

    void sent(int bodyLength) {
        framesOut.incrementAndGet();
        bytesOut.addAndGet(bodyLength + Frames.PREFIX_LENGTH);
    }

    void duplicateDropped() {
        duplicatesDropped.incrementAndGet();
    }

    void expiredDropped() {
        expiredDropped.incrementAndGet();
    }

    void relayed() {
        relayed.incrementAndGet();
    }

    void broadcastSent() {
        broadcastsSent.incrementAndGet();
    }

    void idsAnnounced(int count) {
        idsAnnounced.addAndGet(count);
    }

    /** The figures now, with {@code droppedForFullQueue} from the socket's inbox. */
    MeshStats stats(long droppedForFullQueue) {
        return new MeshStats(
                framesIn.get(),
                framesOut.get(),
                bytesIn.get(),
                bytesOut.get(),
                relayed.get(),
                duplicatesDropped.get(),
                expiredDropped.get(),
                droppedForFullQueue,
                broadcastsSent.get(),
                idsAnnounced.get());
    }
}
