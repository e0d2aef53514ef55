package dev.jv2p.sync;

import dev.jv2p.mesh.LayerContext;
import dev.jv2p.mesh.Registration;
import dev.jv2p.sync.internal.Change;
import dev.jv2p.sync.internal.SyncStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Publishes the changes the event loop applies to a node's store: to the read view at once, and
 * to the listeners through a {@link ListenerQueue} on the node's callback thread.
 */
final class SyncEvents {
    private final SyncSocket socket;
    private final LayerContext mesh;
    private final SyncStore store;
    private final ReadView view;
    private final List<SyncListener> listeners = new CopyOnWriteArrayList<>();
    private final ListenerQueue queue;

    SyncEvents(SyncSocket socket, LayerContext mesh, SyncStore store, ReadView view) {
        this.socket = socket;
        this.mesh = mesh;
        this.store = store;
        this.view = view;
        this.queue =
                new ListenerQueue(ListenerQueue.DEFAULT_BOUND, mesh::runOnCallbackThread, this::deliver, mesh.id());
    }

    Registration addListener(SyncListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Applies a visible change to the read view and queues it for the listeners; on the event loop. */
    void publish(Optional<Change> change) {
        assert mesh.inEventLoop() : "changes are published on the event loop";
        if (change.isEmpty()) {
            return;
        }
        Change c = change.get();
        view.show(c, store);
        if (!listeners.isEmpty()) {
            queue.add(c);
        }
    }

    /** Events coalesced because the listeners fell behind. */
    long coalesced() {
        return queue.coalesced();
    }

    /** Events waiting for the listeners. */
    int pending() {
        return queue.pending();
    }

    /** Tells the listeners of one change; on the callback thread. */
    private void deliver(Change c) {
        if (c instanceof Change.Update u) {
            listeners.forEach(l -> l.onUpdate(socket, u.key(), u.value(), u.meta()));
        } else {
            listeners.forEach(l -> l.onDelete(socket, c.key()));
        }
    }
}
