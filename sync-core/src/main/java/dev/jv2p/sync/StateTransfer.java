package dev.jv2p.sync;

import dev.jv2p.mesh.LayerContext;
import dev.jv2p.mesh.PeerLink;
import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.sync.internal.Entry;
import dev.jv2p.sync.internal.KeyHistory;
import dev.jv2p.sync.internal.SyncStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Sends this node's state to a peer: history batches to jv2p peers (for a state request, or
 * the repairs of anti-entropy), the per-key transfer to js2p peers. Each goes out a slice per
 * event-loop task, paced by the peer's queue. On the node's event loop.
 */
final class StateTransfer {
    /** How many keys one event-loop task sends before yielding to I/O. */
    private static final int KEYS_PER_SLICE = 2000;

    private static final int MAX_HISTORIES_PER_BATCH = 1000;

    private final LayerContext mesh;
    private final SyncStore store;
    private final SyncConfig config;
    /** Owner signatures, when the mesh binds node ids to keys; {@code null} otherwise. */
    private final WriteSigning signing;
    /** With owner signatures on, the proofs of bases folded from deltas. */
    private final BaseChains baseChains;

    private final SyncHellos hellos;
    private final WriteBatching outgoing;
    /** Peers a history transfer is under way to. */
    private final Set<PeerLink> transferring = new HashSet<>();

    StateTransfer(
            LayerContext mesh,
            SyncStore store,
            SyncConfig config,
            WriteSigning signing,
            BaseChains baseChains,
            SyncHellos hellos,
            WriteBatching outgoing) {
        this.mesh = mesh;
        this.store = store;
        this.config = config;
        this.signing = signing;
        this.baseChains = baseChains;
        this.hellos = hellos;
        this.outgoing = outgoing;
    }

    /** Whether a history transfer to {@code peer} is under way. */
    boolean transferringTo(PeerLink peer) {
        return transferring.contains(peer);
    }

    /**
     * Sends histories in batches under the frame limit, a slice per event-loop task; a slice
     * ends early when the peer's queue passes its high water mark, and the next starts once it
     * has drained, so a transfer of any size never queues much more than that mark.
     */
    void sendHistories(PeerLink peer, List<KeyHistory> histories) {
        // One transfer per peer at a time: during a long join every anti-entropy round finds
        // all buckets different, and starting a fresh full copy each round would multiply the
        // work. What changes meanwhile is found by the first round after this one ends.
        if (!transferring.add(peer)) {
            return;
        }
        SyncHellos.PeerSync known = hellos.of(peer);
        BaseChains chains = known != null && known.baseChains() ? baseChains : null;
        outgoing.flush(); // so that this node's newest writes go out with their proofs
        long budget = mesh.maxFrameLength() / 4;
        Iterator<KeyHistory> it = histories.iterator();
        Runnable slice = new Runnable() {
            @Override
            public void run() {
                int sent = 0;
                List<Object> batch = new ArrayList<>();
                long size = 0;
                while (it.hasNext() && sent < KEYS_PER_SLICE && peer.isOpen() && peer.isWritable()) {
                    KeyHistory h = it.next();
                    long s = SyncWire.estimateSize(h);
                    if (!batch.isEmpty() && (size + s > budget || batch.size() >= MAX_HISTORIES_PER_BATCH)) {
                        peer.whisper(List.of((long) SyncWire.HISTORY, batch));
                        batch = new ArrayList<>();
                        size = 0;
                    }
                    batch.add(SyncWire.history(h, signing, chains));
                    size += s;
                    sent++;
                }
                if (!batch.isEmpty()) {
                    peer.whisper(List.of((long) SyncWire.HISTORY, batch));
                }
                if (it.hasNext() && peer.isOpen()) {
                    peer.whenWritable(this);
                } else {
                    transferring.remove(peer);
                }
            }
        };
        slice.run();
    }

    /** The per-key transfer js2p peers understand (spec §12.3), a slice per event-loop task. */
    private void sendJs2pTransfer(PeerLink peer) {
        Iterator<Entry> it = store.entries().iterator();
        Runnable slice = new Runnable() {
            @Override
            public void run() {
                int sent = 0;
                while (it.hasNext() && sent < KEYS_PER_SLICE && peer.isOpen() && peer.isWritable()) {
                    Entry e = it.next();
                    if (!e.key().isUtf8()) {
                        continue; // js2p keys are text; such a key cannot reach a js2p peer
                    }
                    peer.whisper(List.of(
                            (long) Flags.STORE,
                            SyncWire.keyText(e.key()),
                            e.value(),
                            e.stamp().owner(),
                            e.stamp().timestamp()));
                    sent++;
                }
                if (it.hasNext() && peer.isOpen()) {
                    peer.whenWritable(this);
                }
            }
        };
        slice.run();
    }

    /** A peer that connected and sends state: a js2p peer (one that stays silent) gets the per-key transfer. */
    void onPeerReady(PeerLink peer, boolean sendsState) {
        if (!sendsState || signing != null) {
            return; // a mesh that authenticates owners has no js2p peers: jv2p peers sync by digest
        }
        // A jv2p peer says hello right after the handshake; only a peer that stays silent is
        // treated as js2p and sent the per-key transfer.
        mesh.schedule(
                () -> {
                    if (peer.isOpen() && !peer.isJv2p()) {
                        sendJs2pTransfer(peer);
                    }
                },
                config.js2pTransferDelay());
    }

    void onStateRequest(PeerLink peer) {
        if (peer.isJv2p() || signing != null) {
            sendHistories(peer, store.histories());
        } else {
            sendJs2pTransfer(peer);
        }
    }

    void onPeerClosed(PeerLink peer) {
        transferring.remove(peer);
    }
}
