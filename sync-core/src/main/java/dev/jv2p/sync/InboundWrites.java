package dev.jv2p.sync;

import dev.jv2p.mesh.LayerContext;
import dev.jv2p.mesh.Message;
import dev.jv2p.sync.internal.ApplyResult;
import dev.jv2p.sync.internal.KeyHistory;
import dev.jv2p.sync.internal.SyncStore;
import dev.jv2p.sync.internal.Write;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the writes peers send: live stores, deltas and deletes, write batches (signed whole
 * where owners are authenticated), js2p's transfer-form stores and history batches; each change
 * goes to the socket's listeners. On the node's event loop.
 */
final class InboundWrites {
    /** The replicator's logger: configurations name it to quiet or raise these lines. */
    private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);

    private final SyncSocket socket;
    private final LayerContext mesh;
    private final SyncStore store;
    private final SyncConfig config;
    /** Owner signatures, when the mesh binds node ids to keys; {@code null} otherwise. */
    private final WriteSigning signing;

    private final Refusals refusals;
    private final AntiEntropy antiEntropy;

    InboundWrites(
            SyncSocket socket,
            LayerContext mesh,
            SyncStore store,
            SyncConfig config,
            WriteSigning signing,
            Refusals refusals,
            AntiEntropy antiEntropy) {
        this.socket = socket;
        this.mesh = mesh;
        this.store = store;
        this.config = config;
        this.signing = signing;
        this.refusals = refusals;
        this.antiEntropy = antiEntropy;
    }

    /**
     * Applies each write of a batch as if it had come alone, with the batch's sender and time;
     * malformed elements are reported and the others applied.
     */
    void onWriteBatch(Message m, SyncMessages.WriteBatch batch) {
        if (signing != null) {
            refusals.reject(m, "a write batch must be signed whole in a mesh that authenticates owners");
            return;
        }
        for (String reason : batch.malformed()) {
            refusals.reject(m, reason);
        }
        for (SyncMessages.LiveWrite w : batch.writes()) {
            try {
                onLiveWrite(m, w);
            } catch (IllegalArgumentException e) {
                refusals.reject(m, e.getMessage());
            }
        }
    }

    /**
     * A batch signed whole by its owner ({@code [0x3C, [writes], scheme, signature]}): applied
     * whole or refused whole.
     */
    void onSignedWriteBatch(Message m, SyncMessages.SignedWriteBatch batch) {
        if (tooOldForALiveWrite(m)) {
            return;
        }
        if (!signing.verifyBatch(m.sender(), batch.writes(), batch.signature())) {
            refusals.reject(
                    m,
                    "a write batch of " + batch.writes().size() + " writes is not signed by its claimed owner "
                            + m.sender() + " or its owner is not admitted: refused");
            return;
        }
        for (Write w : batch.writes()) {
            apply(m, w);
        }
    }

    /**
     * Whether a live write's message is older than the mesh's broadcast window: whispered or
     * broadcast, a live write is judged by the window (only transfers reach back further), so
     * an old write cannot be replayed as a new one.
     */
    private boolean tooOldForALiveWrite(Message m) {
        long oldest = mesh.now() - mesh.config().broadcastWindow().toSeconds();
        if (m.time() < oldest) {
            refusals.reject(
                    m,
                    "a live write stamped " + m.time() + " s is older than the broadcast window (from " + oldest
                            + " s); only transfers carry older writes");
            return true;
        }
        return false;
    }

    /**
     * A store in js2p's transfer form (spec §12.3): owner and timestamp travel in the packet.
     * Taken only from a js2p peer. The form names a key's last writer and time but not the
     * kind of write: merged as a set, a state folded from deltas would wipe every write the
     * sender lacked that is ordered before its last one, under a stamp the receiver then
     * takes for the writer's own (and its digest for agreement). A jv2p peer says its mesh
     * hello before anything else on the link, so a transfer-form store from a jv2p link is
     * one sent because that hello arrived late (a busy or paused sender); anti-entropy brings
     * the key's history instead.
     */
    void onTransferStore(Message m, SyncMessages.TransferStore t) {
        if (signing != null) {
            throw new IllegalArgumentException("a store in the transfer form names its owner without the owner's "
                    + "signature: refused in a mesh that authenticates owners");
        }
        if (m.via().isJv2p()) {
            LOG.debug(
                    "transfer-form store of {} from jv2p peer {} ignored: jv2p peers exchange histories",
                    t.write().key(),
                    m.via());
            return;
        }
        if (t.write().timestamp() < mesh.now() - config.retention().toSeconds()) {
            LOG.debug(
                    "transferred store of {} older than the retention ignored",
                    t.write().key());
            return;
        }
        apply(m, t.write());
    }

    /** Applies a live store, delta, delete or binary-key write; with owner signatures on, only one its owner signed. */
    void onLiveWrite(Message m, SyncMessages.LiveWrite w) {
        if (tooOldForALiveWrite(m)) {
            return;
        }
        if (signing != null) {
            signing.verifyLive(w.write(), w.packets(), w.signedSize());
        }
        apply(m, w.write());
    }

    private void apply(Message m, Write w) {
        antiEntropy.noteLiveWrite();
        ApplyResult r = store.apply(w, mesh.now());
        switch (r.outcome()) {
            case FUTURE ->
                refusals.reject(
                        m,
                        "write of " + w.key() + " stamped " + w.timestamp()
                                + " s is further ahead of this node's clock than " + config.maxFutureSkew());
            case STALE -> LOG.debug("stale write of {} from {} ignored", w.key(), m.via());
            case REFUSED_LEASE ->
                LOG.debug("write of {} by {} refused: lease held by another owner", w.key(), w.owner());
            default -> {}
        }
        socket.publish(r.change());
    }

    /**
     * Imports a history batch, parsed whole before anything is done: only then does a large
     * batch mark this node as importing.
     */
    void onHistories(Message m, SyncMessages.Histories batch) {
        if (!batch.malformed().isEmpty()) {
            refusals.reject(
                    m,
                    batch.malformed().size() + " malformed histories left out, the first: "
                            + batch.malformed().get(0));
        }
        antiEntropy.onHistoryBatch(batch.histories().size());
        long now = mesh.now();
        for (int i = 0; i < batch.histories().size(); i++) {
            KeyHistory h = batch.histories().get(i);
            if (signing != null) {
                WriteSigning.Verified v = signing.verified(h, batch.raw().get(i));
                if (v.refused() > 0) {
                    refusals.reject(
                            m,
                            v.refused() + " part(s) of the history of " + h.key()
                                    + " lack a valid owner signature (or an admitted owner) and were left out");
                }
                h = v.history();
            }
            socket.publish(store.importHistory(h, now));
        }
    }
}
