package dev.jv2p.sync;

import dev.jv2p.mesh.LayerContext;
import dev.jv2p.mesh.MeshSocket;

/**
 * Puts a node's {@link SyncStatus} together on the event loop: the mesh's status, the
 * replicator's and store's figures, and the socket's own (queued writes refused, listener
 * events coalesced and pending), so that they are consistent with each other.
 */
final class StatusAssembler {
    private final MeshSocket mesh;
    private final LayerContext layer;
    private final Replicator replicator;
    private final WriteQueue writes;
    private final SyncEvents events;

    StatusAssembler(MeshSocket mesh, Replicator replicator, WriteQueue writes, SyncEvents events) {
        this.mesh = mesh;
        this.layer = mesh.layerContext();
        this.replicator = replicator;
        this.writes = writes;
        this.events = events;
    }

    /** The snapshot, taken on the loop (waiting for it off the loop), or at once once the node is closed. */
    SyncStatus status() {
        if (mesh.isClosed()) {
            return assemble();
        }
        return LoopCalls.onLoop(layer, this::assemble);
    }

    private SyncStatus assemble() {
        assert layer.inEventLoop() || mesh.isClosed() : "a live node's status is taken on its event loop";
        return replicator
                .status(mesh.status())
                .withSocketFigures(writes.refusedCount(), events.coalesced(), events.pending());
    }
}
