package dev.jv2p.sync;

import dev.jv2p.mesh.LayerContext;
import dev.jv2p.mesh.Message;
import dev.jv2p.sync.internal.persist.LogUnwritableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge of the sync protocol: parses each sync message once into its record and hands the
 * record to the part of the replicator that handles it. On the node's event loop.
 */
final class SyncDispatcher {
    /** The replicator's logger: configurations name it to quiet or raise these lines. */
    private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);

    /** Whether owners sign their writes (the mesh binds node ids to keys). */
    private final boolean signed;

    private final Refusals refusals;
    private final InboundWrites writes;
    private final SyncHellos hellos;
    private final AntiEntropy antiEntropy;

    SyncDispatcher(
            boolean signed, Refusals refusals, InboundWrites writes, SyncHellos hellos, AntiEntropy antiEntropy) {
        this.signed = signed;
        this.refusals = refusals;
        this.writes = writes;
        this.hellos = hellos;
        this.antiEntropy = antiEntropy;
    }

    /**
     * Parses a sync message once, at the edge ({@link SyncMessages#parse}), then hands the
     * record to its handler. A malformed message is refused with one log line per peer. The
     * sub-flags that make this node work for their sender are taken only as whispers (the mesh
     * drops them broadcast, {@link LayerContext#registerWhisperOnly}).
     *
     * @return whether the message was a sync message (handled or refused)
     */
    boolean handle(Message m) {
        SyncMessages.SyncMessage msg;
        try {
            msg = SyncMessages.parse(m, signed);
        } catch (IllegalArgumentException e) {
            refusals.reject(m, e.getMessage());
            return true;
        }
        if (msg == null) {
            return false;
        }
        try {
            if (msg instanceof SyncMessages.LiveWrite w) {
                writes.onLiveWrite(m, w);
            } else if (msg instanceof SyncMessages.TransferStore t) {
                writes.onTransferStore(m, t);
            } else if (msg instanceof SyncMessages.WriteBatch b) {
                writes.onWriteBatch(m, b);
            } else if (msg instanceof SyncMessages.SignedWriteBatch b) {
                writes.onSignedWriteBatch(m, b);
            } else if (msg instanceof SyncMessages.Histories h) {
                writes.onHistories(m, h);
            } else if (msg instanceof SyncMessages.Hello h) {
                if (hellos.onSyncHello(m.via(), h)) {
                    antiEntropy.onSyncHello(m.via());
                }
            } else if (!hellos.takesPartInAntiEntropy(m.via())) {
                LOG.debug("anti-entropy message from {} ignored: its rules differ from this node's", m.via());
            } else if (msg instanceof SyncMessages.LegacyDigest d) {
                antiEntropy.onLegacyDigest(m, d);
            } else if (msg instanceof DigestExchange.Digest d) {
                antiEntropy.onBucketDigest(m.via(), d);
            } else if (msg instanceof DigestExchange.Summaries sm) {
                antiEntropy.onSummaries(m.via(), sm);
            } else if (msg instanceof DigestExchange.Want w) {
                antiEntropy.onWant(m.via(), w);
            }
        } catch (IllegalArgumentException e) {
            refusals.reject(m, e.getMessage());
        } catch (LogUnwritableException e) {
            // Not the peer's fault: what was not applied differs in the digests, so anti-entropy
            // fetches it again once the log can be written (the failure itself is logged once).
            LOG.debug("message from {} not applied, the log cannot be written", m.via());
        }
        return true;
    }
}
