package dev.jv2p.sync;

import dev.jv2p.mesh.LayerContext;
import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.sync.internal.Write;
import java.util.ArrayList;
import java.util.List;

/**
 * The live writes this node originates, on their way out: with owner signatures on, signed in
 * batches first ({@link WriteSigning}); then the writes of one loop turn are sent together,
 * several of one second as one write batch ({@link SyncWire#WRITE_BATCH}). A writer whose queue
 * is idle has its writes sent at once ({@link #sendNow}): batching pays only under load, and a
 * lone write would otherwise wait for a turn of its own. On the node's event loop.
 */
final class WriteBatching {
    private static final int MAX_WRITES_PER_BATCH = 1000;

    private final LayerContext mesh;
    /** Owner signatures, when the mesh binds node ids to keys; {@code null} otherwise. */
    private final WriteSigning signing;
    /** Live writes of this loop turn, waiting to go out (see {@link SyncWire#WRITE_BATCH}). */
    private final List<Outgoing> outgoing = new ArrayList<>();
    /** Whether a {@link #sendOutgoing} task is queued on the loop. */
    private boolean scheduled;

    /** One write (its packets, sub-flag first), or the payload of a write batch signed whole. */
    private record Outgoing(long time, List<Object> message, long size, boolean signedBatch) {}

    WriteBatching(LayerContext mesh, WriteSigning signing) {
        this.mesh = mesh;
        this.signing = signing;
        if (signing != null) {
            signing.sender(new WriteSigning.Sender() {
                @Override
                public void send(long time, int subFlag, List<Object> packets) {
                    queue(time, subFlag, packets);
                }

                @Override
                public void sendBatch(long time, List<Object> writes, byte[] signature) {
                    queueSignedBatch(time, writes, signature);
                }
            });
        }
    }

    /**
     * Broadcasts a write this node originated, {@code packets} being the payload after the
     * sub-flag; with owner signatures on, it is queued and signed in a batch first.
     */
    void broadcast(Write write, List<Object> packets, int subFlag) {
        if (signing != null) {
            signing.broadcast(write, packets, subFlag); // signed in a batch, then queued here
        } else {
            queue(write.timestamp(), subFlag, packets);
        }
    }

    /** Queues a live write of this node, stamped {@code time}, for {@link #sendOutgoing}. */
    private void queue(long time, int subFlag, List<Object> packets) {
        scheduleSend();
        List<Object> message = new ArrayList<>(packets.size() + 1);
        message.add((long) subFlag);
        message.addAll(packets);
        outgoing.add(new Outgoing(time, message, SyncWire.estimateSize(message), false));
    }

    /**
     * A write batch signed whole ({@link WriteSigning}), queued behind this turn's other writes;
     * it goes out as it is.
     */
    private void queueSignedBatch(long time, List<Object> writes, byte[] signature) {
        scheduleSend();
        outgoing.add(new Outgoing(time, List.of(writes, WriteSigning.SCHEME, signature), 0, true));
    }

    private void scheduleSend() {
        if (!scheduled) {
            scheduled = true;
            mesh.executeLater(this::sendOutgoing); // after the rest of this loop turn: its writes share frames
        }
    }

    /**
     * Sends what waits now, when the writer has nothing more queued: with owner signatures on,
     * the writes waiting for their signature too, unless the last signature is younger than
     * {@link WriteSigning#WINDOW} (the signing rate stays bounded). Writes queued later in this
     * turn still share a frame through the task already queued.
     */
    void sendNow() {
        if (signing != null) {
            signing.flushIfDue();
        }
        if (!outgoing.isEmpty()) {
            send();
        }
    }

    private void sendOutgoing() {
        scheduled = false;
        if (!outgoing.isEmpty()) {
            send();
        }
    }

    /**
     * Sends the writes of this loop turn: alone, a write goes out as its own message, exactly
     * as js2p expects; several of the same second go out as write batches under the frame
     * budget, which cost peers one frame, one checksum and one seen-cache entry for all.
     */
    private void send() {
        long budget = mesh.maxFrameLength() / 4;
        int i = 0;
        while (i < outgoing.size()) {
            long time = outgoing.get(i).time();
            if (outgoing.get(i).signedBatch()) {
                mesh.send(outgoing.get(i).message(), Flags.BROADCAST, SyncWire.WRITE_BATCH, time);
                i++;
                continue;
            }
            int j = i;
            long size = 0;
            while (j < outgoing.size()
                    && !outgoing.get(j).signedBatch()
                    && outgoing.get(j).time() == time
                    && j - i < MAX_WRITES_PER_BATCH
                    && (j == i || size + outgoing.get(j).size() <= budget)) {
                size += outgoing.get(j).size();
                j++;
            }
            if (j - i == 1) {
                List<Object> message = outgoing.get(i).message();
                mesh.send(
                        message.subList(1, message.size()), Flags.BROADCAST, (int) (long) (Long) message.get(0), time);
            } else {
                List<Object> writes = new ArrayList<>(j - i);
                for (int k = i; k < j; k++) {
                    writes.add(outgoing.get(k).message());
                }
                mesh.send(List.of(writes), Flags.BROADCAST, SyncWire.WRITE_BATCH, time);
            }
            i = j;
        }
        outgoing.clear();
    }

    /** Sends the writes waiting for their batch signature now (before closing). */
    void flush() {
        if (signing != null) {
            signing.flush();
        }
        if (!outgoing.isEmpty()) {
            send();
        }
    }
}
