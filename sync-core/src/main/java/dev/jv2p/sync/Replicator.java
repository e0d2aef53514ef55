package dev.jv2p.sync;

import dev.jv2p.mesh.LayerContext;
import dev.jv2p.mesh.MeshStatus;
import dev.jv2p.mesh.Message;
import dev.jv2p.mesh.MessageHandler;
import dev.jv2p.mesh.PeerEvents;
import dev.jv2p.mesh.PeerLink;
import dev.jv2p.sync.internal.SyncStore;
import dev.jv2p.sync.internal.Write;
import dev.jv2p.sync.internal.persist.LogUnwritableException;
import java.time.Duration;
import java.util.List;

/**
 * Moves writes between the store and the mesh: applies stores, deltas and deletes from peers,
 * sends join transfers (per key to js2p peers, history batches to jv2p peers), and runs
 * anti-entropy with jv2p peers. Everything here runs on the node's event loop.
 *
 * <p>A coordinator: it wires the parts together and takes the mesh's messages and peer events.
 * {@link SyncDispatcher} parses incoming messages and routes them; {@link InboundWrites}
 * applies peers' writes; {@link WriteBatching} sends this node's; {@link StateTransfer} sends
 * its state to a peer; {@link AntiEntropy} compares digests and decides when;
 * {@link SyncHellos} keeps what each peer said in its sync hello; {@link Refusals} counts and
 * logs refused messages. The parts log under this class's name.
 */
final class Replicator implements MessageHandler, PeerEvents {
    private final LayerContext mesh;
    private final SyncStore store;
    private final SyncConfig config;
    /** Owner signatures, when the mesh binds node ids to keys; {@code null} otherwise. */
    private final WriteSigning signing;
    /** With owner signatures on, the proofs of bases folded from deltas. */
    private final BaseChains baseChains;

    private final Refusals refusals = new Refusals();
    private final SyncHellos hellos;
    private final WriteBatching outgoing;
    private final StateTransfer transfer;
    private final AntiEntropy antiEntropy;
    private final SyncDispatcher dispatcher;

    Replicator(SyncSocket socket, LayerContext mesh, SyncStore store, SyncConfig config) {
        this.mesh = mesh;
        this.store = store;
        this.config = config;
        SyncClock clock = SyncClock.of(mesh);
        this.signing = mesh.identity()
                .map(identity -> new WriteSigning(identity, mesh, clock))
                .orElse(null);
        this.baseChains = signing == null ? null : new BaseChains(signing, store, config.leasing());
        if (signing != null) {
            signing.chains(baseChains);
            store.onFolding(baseChains);
        }
        this.hellos = new SyncHellos(mesh, config);
        this.outgoing = new WriteBatching(mesh, signing);
        this.transfer = new StateTransfer(mesh, store, config, signing, baseChains, hellos, outgoing);
        mesh.registerFallback(SyncWire.WRITE_BATCH, SyncWire::expandBatch);
        for (int subFlag : SyncMessages.WHISPER_ONLY) {
            mesh.registerWhisperOnly(subFlag);
        }
        this.antiEntropy = new AntiEntropy(mesh, store, clock, hellos, transfer);
        InboundWrites writes = new InboundWrites(socket, mesh, store, config, signing, refusals, antiEntropy);
        this.dispatcher = new SyncDispatcher(signing != null, refusals, writes, hellos, antiEntropy);
    }

    // ---- inbound ----------------------------------------------------------------------------

    /** See {@link SyncDispatcher#handle}. */
    @Override
    public boolean handle(Message m) {
        return dispatcher.handle(m);
    }

    // ---- outbound -----------------------------------------------------------------------------

    /**
     * Broadcasts a write this node originated, {@code packets} being the payload after the
     * sub-flag; with owner signatures on, it is queued and signed in a batch first.
     */
    void broadcast(Write write, List<Object> packets, int subFlag) {
        antiEntropy.noteLiveWrite();
        outgoing.broadcast(write, packets, subFlag);
    }

    /** Sends this node's waiting writes now: its writer has nothing more queued (see {@link WriteBatching#sendNow}). */
    void sendNow() {
        outgoing.sendNow();
    }

    /** Sends the writes waiting for their batch signature now (before closing). */
    void flush() {
        outgoing.flush();
    }

    // ---- peer life cycle ----------------------------------------------------------------------

    @Override
    public void onPeerReady(PeerLink peer, boolean sendsState) {
        transfer.onPeerReady(peer, sendsState);
    }

    /**
     * A peer said the mesh's jv2p hello: this node sends its sync hello, and compares digests
     * once the peer's sync hello has come (so it knows which digest the peer reads and whether
     * their rules agree). A peer of an older jv2p sends none: it gets the older digest after
     * {@link #SYNC_HELLO_WAIT}, which leaves a current peer's sync hello (sent when this node's
     * hello reaches it) a round trip and then some.
     */
    @Override
    public void onJv2pPeer(PeerLink peer) {
        peer.whisper(hellos.ownHello());
        mesh.schedule(
                () -> {
                    if (peer.isOpen() && hellos.of(peer) == null) {
                        antiEntropy.firstDigest(peer);
                    }
                },
                SYNC_HELLO_WAIT);
    }

    /** How long a jv2p peer has to send its sync hello before it is taken for an older jv2p. */
    static final Duration SYNC_HELLO_WAIT = Duration.ofSeconds(1);

    @Override
    public void onStateRequest(PeerLink peer) {
        transfer.onStateRequest(peer);
    }

    @Override
    public void onPeerClosed(PeerLink peer) {
        transfer.onPeerClosed(peer);
        antiEntropy.onPeerClosed(peer);
        hellos.onPeerClosed(peer);
        refusals.onPeerClosed(peer);
    }

    /**
     * Periodic work: collect old tombstones (and, with owner signatures on, the proofs of writes
     * the store no longer holds), then compare digests with every jv2p peer
     * ({@link AntiEntropy#round}, which skips rounds while live writes flow).
     */
    void antiEntropyRound() {
        try {
            store.collectGarbage(mesh.now());
        } catch (LogUnwritableException e) {
            // collected in a later round; the comparison with peers goes on
        }
        if (signing != null) {
            signing.retain(store);
            baseChains.retain();
        }
        antiEntropy.round();
    }

    /** The owners' proofs to keep in a durable store; {@code null} where owners are not authenticated. */
    DurableProofs durableProofs() {
        return signing == null ? null : new DurableProofs(signing, baseChains);
    }

    // ---- figures ------------------------------------------------------------------------------

    /** The open links to peers whose merge rule or allow-list differ from this node's. */
    List<String> differingPeers() {
        return hellos.differingPeers();
    }

    long rejectedCount() {
        return refusals.count();
    }

    /** This node's sync figures with the mesh's; on the event loop. */
    SyncStatus status(MeshStatus meshStatus) {
        return new SyncStatus(
                meshStatus,
                store.size(),
                store.estimatedBytes(),
                store.tombstones(),
                store.historyWrites(),
                store.writesMerged(),
                store.leaseRefusals(),
                store.localLeaseConflicts(),
                antiEntropy.rounds(),
                refusals.count(),
                0,
                0,
                0,
                differingPeers());
    }

    /** Batch signatures made and owner signatures checked (0 when owners are not authenticated). */
    long[] signatureCounts() {
        return signing == null ? new long[2] : new long[] {signing.signatures(), signing.verifications()};
    }
}
