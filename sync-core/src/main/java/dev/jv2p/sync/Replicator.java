package dev.jv2p.sync;

import dev.jv2p.mesh.Flags;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.Message;
import dev.jv2p.mesh.MessageHandler;
import dev.jv2p.mesh.PeerEvents;
import dev.jv2p.mesh.PeerLink;
import dev.jv2p.sync.internal.ApplyResult;
import dev.jv2p.sync.internal.Entry;
import dev.jv2p.sync.internal.KeyHistory;
import dev.jv2p.sync.internal.StoreDigest;
import dev.jv2p.sync.internal.SyncStore;
import dev.jv2p.sync.internal.Write;
import dev.jv2p.sync.internal.WriteStamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves writes between the store and the mesh: applies stores, deltas and deletes from peers,
 * sends join transfers (per key to js2p peers, history batches to jv2p peers), and runs
 * anti-entropy with jv2p peers. Everything here runs on the node's event loop.
 */
final class Replicator implements MessageHandler, PeerEvents {
    private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);
    /** How many keys one event-loop task sends before yielding to I/O. */
    private static final int KEYS_PER_SLICE = 2000;
    private static final int MAX_HISTORIES_PER_BATCH = 1000;

    private final SyncSocket socket;
    private final MeshSocket mesh;
    private final SyncStore store;
    private final SyncConfig config;
    /** Owner signatures, when the mesh binds node ids to keys; {@code null} otherwise. */
    private final WriteSigning signing;
    private long rejected;
    private long antiEntropyRounds;
    /** Peers a history transfer is under way to. */
    private final java.util.Set<PeerLink> transferring = new HashSet<>();
    /**
     * A joining node must not ask every peer for the whole dictionary: once a peer's digest
     * shows a large difference (a quarter of the buckets), the peers that connect within this
     * long of it, or while a large transfer is arriving, get this node's digest only once that
     * has passed; so do the peers this node dials within this long of the digest sent to a peer
     * it dialed before them, whose answer may still be on its way. A deferred digest that comes
     * due while live writes flow is left to the periodic rounds.
     */
    static final long CONNECT_QUIET_NANOS = 1_000_000_000L;
    /**
     * How long after the last large history batch (a bulk transfer, {@link #LARGE_BATCH} keys
     * or more) this node counts as importing: it then starts no rounds and answers no digests,
     * since what it would send back is mostly what it has just received. Small batches (the
     * repairs of anti-entropy) do not count, so they never slow convergence down.
     */
    static final long IMPORT_QUIET_NANOS = 2_000_000_000L;
    static final int LARGE_BATCH = 256;
    /** Live writes per anti-entropy interval from which the link counts as busy. */
    static final int BUSY_WRITES = 100;
    /** Anti-entropy rounds skipped in a row at most while live writes keep flowing. */
    static final int MAX_BUSY_SKIPS = 5;
    /** When a digest last showed a quarter of the buckets or more differing. */
    private long lastLargeDifferenceNanos;
    private long lastHistoryNanos;
    /** When this node last sent a peer its digest because the peer had just connected. */
    private long lastConnectDigestNanos;
    private final Set<PeerLink> deferredDigests = new java.util.LinkedHashSet<>();
    /** Live writes applied or made since the last anti-entropy round. */
    private long liveWritesSinceRound;
    private int busySkips;

    /** Anti-entropy with peers that announced the bucket digest. */
    private final DigestExchange exchange;
    /** This node's merge rule and allow-list, as its sync hello names them. */
    private final String mergeRule;
    private final String allowList;

    Replicator(SyncSocket socket, MeshSocket mesh, SyncStore store, SyncConfig config) {
        this.socket = socket;
        this.mesh = mesh;
        this.store = store;
        this.config = config;
        this.signing = mesh.identity().map(identity -> new WriteSigning(identity, mesh)).orElse(null);
        this.mergeRule = SyncMessages.mergeRule(config.leasing(), config.leaseDuration().toSeconds());
        this.allowList = mesh.identity().map(identity -> allowListFingerprint(identity.allowed(), identity.nodeId()))
                .orElse("");
        this.exchange = new DigestExchange(new DigestExchange.Node() {
            @Override
            public SyncStore store() {
                return store;
            }

            @Override
            public long now() {
                return mesh.now();
            }

            @Override
            public long maxFrameLength() {
                return mesh.maxFrameLength();
            }

            @Override
            public void sendHistories(PeerLink peer, List<KeyHistory> histories) {
                Replicator.this.sendHistories(peer, histories);
            }
        });
        mesh.registerFallback(SyncWire.WRITE_BATCH, SyncWire::expandBatch);
        for (int subFlag : SyncMessages.WHISPER_ONLY) {
            mesh.registerWhisperOnly(subFlag);
        }
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
        // nanoTime has an arbitrary origin: start "long ago" rather than at zero
        this.lastLargeDifferenceNanos = System.nanoTime() - 2 * IMPORT_QUIET_NANOS;
        this.lastHistoryNanos = lastLargeDifferenceNanos;
        this.lastConnectDigestNanos = lastLargeDifferenceNanos;
    }

    // ---- inbound ----------------------------------------------------------------------------

    /**
     * Parses a sync message once, at the edge ({@link SyncMessages#parse}), then hands the
     * record to its handler. A malformed message is refused with one log line per peer. The
     * sub-flags that make this node work for their sender are taken only as whispers (the mesh
     * drops them broadcast, {@link MeshSocket#registerWhisperOnly}).
     */
    @Override
    public boolean handle(Message m) {
        SyncMessages.SyncMessage msg;
        try {
            msg = SyncMessages.parse(m, signing != null);
        } catch (IllegalArgumentException e) {
            reject(m, e.getMessage());
            return true;
        }
        if (msg == null) {
            return false;
        }
        try {
            if (msg instanceof SyncMessages.LiveWrite w) {
                onLiveWrite(m, w);
            } else if (msg instanceof SyncMessages.TransferStore t) {
                onTransferStore(m, t);
            } else if (msg instanceof SyncMessages.WriteBatch b) {
                onWriteBatch(m, b);
            } else if (msg instanceof SyncMessages.SignedWriteBatch b) {
                onSignedWriteBatch(m, b);
            } else if (msg instanceof SyncMessages.Histories h) {
                onHistories(m, h);
            } else if (msg instanceof SyncMessages.Hello h) {
                onSyncHello(m.via(), h);
            } else if (!takesPartInAntiEntropy(m.via())) {
                LOG.debug("anti-entropy message from {} ignored: its rules differ from this node's", m.via());
            } else if (msg instanceof SyncMessages.LegacyDigest d) {
                onLegacyDigest(m, d);
            } else if (msg instanceof DigestExchange.Digest d) {
                onBucketDigest(m.via(), d);
            } else if (msg instanceof DigestExchange.Summaries sm) {
                exchange.onSummaries(m.via(), sm);
            } else if (msg instanceof DigestExchange.Want w) {
                exchange.onWant(m.via(), w);
            }
        } catch (IllegalArgumentException e) {
            reject(m, e.getMessage());
        }
        return true;
    }

    /**
     * Applies each write of a batch as if it had come alone, with the batch's sender and time;
     * malformed elements are reported and the others applied.
     */
    private void onWriteBatch(Message m, SyncMessages.WriteBatch batch) {
        if (signing != null) {
            reject(m, "a write batch must be signed whole in a mesh that authenticates owners");
            return;
        }
        for (String reason : batch.malformed()) {
            reject(m, reason);
        }
        for (SyncMessages.LiveWrite w : batch.writes()) {
            try {
                onLiveWrite(m, w);
            } catch (IllegalArgumentException e) {
                reject(m, e.getMessage());
            }
        }
    }

    /**
     * A batch signed whole by its owner ({@code [0x3C, [writes], scheme, signature]}): applied
     * whole or refused whole.
     */
    private void onSignedWriteBatch(Message m, SyncMessages.SignedWriteBatch batch) {
        if (tooOldForALiveWrite(m)) {
            return;
        }
        if (!signing.verifyBatch(m.sender(), batch.writes(), batch.signature())) {
            reject(m, "a write batch of " + batch.writes().size() + " writes is not signed by its claimed owner "
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
            reject(m, "a live write stamped " + m.time() + " s is older than the broadcast window (from " + oldest
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
    private void onTransferStore(Message m, SyncMessages.TransferStore t) {
        if (signing != null) {
            throw new IllegalArgumentException("a store in the transfer form names its owner without the owner's "
                    + "signature: refused in a mesh that authenticates owners");
        }
        if (m.via().isJv2p()) {
            LOG.debug("transfer-form store of {} from jv2p peer {} ignored: jv2p peers exchange histories",
                    t.write().key(), m.via());
            return;
        }
        if (t.write().timestamp() < mesh.now() - config.retention().toSeconds()) {
            LOG.debug("transferred store of {} older than the retention ignored", t.write().key());
            return;
        }
        apply(m, t.write());
    }

    /** Applies a live store, delta, delete or binary-key write; with owner signatures on, only one its owner signed. */
    private void onLiveWrite(Message m, SyncMessages.LiveWrite w) {
        if (tooOldForALiveWrite(m)) {
            return;
        }
        if (signing != null) {
            signing.verifyLive(w.write(), w.packets(), w.signedSize());
        }
        apply(m, w.write());
    }

    private void apply(Message m, Write w) {
        noteLiveWrite();
        ApplyResult r = store.apply(w, mesh.now());
        switch (r.outcome()) {
            case FUTURE -> reject(m, "write of " + w.key() + " stamped " + w.timestamp()
                    + " s is further ahead of this node's clock than " + config.maxFutureSkew());
            case STALE -> LOG.debug("stale write of {} from {} ignored", w.key(), m.via());
            case REFUSED_LEASE -> LOG.debug("write of {} by {} refused: lease held by another owner", w.key(),
                    w.owner());
            default -> { }
        }
        socket.publish(r.change());
    }

    /**
     * Imports a history batch, parsed whole before anything is done: only then does a large
     * batch mark this node as importing.
     */
    private void onHistories(Message m, SyncMessages.Histories batch) {
        if (!batch.malformed().isEmpty()) {
            reject(m, batch.malformed().size() + " malformed histories left out, the first: "
                    + batch.malformed().get(0));
        }
        if (batch.histories().size() >= LARGE_BATCH) {
            lastHistoryNanos = System.nanoTime();
        }
        long now = mesh.now();
        for (int i = 0; i < batch.histories().size(); i++) {
            KeyHistory h = batch.histories().get(i);
            if (signing != null) {
                WriteSigning.Verified v = signing.verified(h, batch.raw().get(i));
                if (v.refused() > 0) {
                    reject(m, v.refused() + " part(s) of the history of " + h.key()
                            + " lack a valid owner signature (or an admitted owner) and were left out");
                }
                h = v.history();
            }
            socket.publish(store.importHistory(h, now));
        }
    }

    /** The older digest, from peers that have not announced the bucket digest. */
    private void onLegacyDigest(Message m, SyncMessages.LegacyDigest d) {
        if (d.watermarks().length > 0) {
            store.mergeGraveyard(d.watermarks(), mesh.now());
        }
        int[] differing = store.digest().differingBuckets(StoreDigest.of(d.buckets()));
        long nanos = System.nanoTime();
        if (differing.length >= StoreDigest.BUCKETS / 4) {
            lastLargeDifferenceNanos = nanos; // a large transfer is on its way, one way or the other
        }
        if (differing.length == 0) {
            return;
        }
        if (importing(nanos)) {
            // This node is still receiving a transfer: what it would send back is mostly what
            // it has just received. Once the transfer ends it sends this peer its own digest,
            // and the peer's next round finds what this node holds beyond it.
            deferDigest(m.via());
            return;
        }
        Set<Integer> buckets = new HashSet<>();
        for (int b : differing) {
            buckets.add(b);
        }
        sendHistories(m.via(), store.historiesIn(buckets));
    }

    private void onBucketDigest(PeerLink peer, DigestExchange.Digest d) {
        if (transferring.contains(peer)) {
            // A transfer to this peer is under way: the digest mostly shows what is still on
            // its way, and summaries of it would only queue behind the transfer. The peer's
            // next round compares what is left.
            return;
        }
        long nanos = System.nanoTime();
        if (importing(nanos)) {
            if (d.watermarks().length > 0) {
                store.mergeGraveyard(d.watermarks(), mesh.now());
            }
            deferDigest(peer);
            return;
        }
        if (exchange.onDigest(peer, d) >= StoreDigest.BUCKETS / 4) {
            lastLargeDifferenceNanos = nanos;
        }
    }

    // ---- sync hello ---------------------------------------------------------------------------

    /** What a jv2p peer said in its sync hello. */
    private record PeerSync(boolean bucketDigest, boolean sameRules, String why) {
    }

    /** The sync hellos of the open links; a jv2p peer missing here has not sent one (an older jv2p). */
    private final Map<PeerLink, PeerSync> peerSync = new HashMap<>();

    private List<Object> ownHello() {
        return List.of((long) SyncMessages.SYNC_HELLO, SyncMessages.HELLO_VERSION, List.of(DigestExchange.CAPABILITY),
                mergeRule, allowList);
    }

    private void onSyncHello(PeerLink peer, SyncMessages.Hello hello) {
        String why = !hello.mergeRule().equals(mergeRule)
                ? "its merge rule is " + hello.mergeRule() + ", this node's " + mergeRule
                : !hello.allowList().equals(allowList) ? "its allow-list differs from this node's" : null;
        PeerSync before = peerSync.put(peer, new PeerSync(hello.capabilities().contains(DigestExchange.CAPABILITY),
                why == null, why));
        if (before != null) {
            return;
        }
        if (why != null) {
            differingPeersSeen++;
            LOG.warn("{} is left out of anti-entropy: {}; its live writes are judged by this node's rules", peer,
                    why);
            return;
        }
        firstDigest(peer);
    }

    /** Whether {@code peer}'s state is compared with this node's: not if its rules differ. */
    private boolean takesPartInAntiEntropy(PeerLink peer) {
        PeerSync p = peerSync.get(peer);
        return p == null || p.sameRules();
    }

    private long differingPeersSeen;

    /** The open links to peers whose merge rule or allow-list differ from this node's. */
    List<String> differingPeers() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<PeerLink, PeerSync> e : peerSync.entrySet()) {
            if (!e.getValue().sameRules()) {
                out.add(e.getKey().id() + ": " + e.getValue().why());
            }
        }
        return out;
    }

    /**
     * Counts a refused message and reports it: the first refusal from a peer is logged at WARN,
     * the rest at DEBUG, so a hostile peer cannot fill the log.
     */
    private void reject(Message m, String reason) {
        rejected++;
        m.via().reportError("rejected sync message " + m.subFlag() + ": " + reason);
        if (warnedPeers.add(m.via())) {
            LOG.warn("rejected sync message {} from {}: {} (further refusals from this peer are logged at DEBUG)",
                    m.subFlag(), m.via(), reason);
        } else {
            LOG.debug("rejected sync message {} from {}: {}", m.subFlag(), m.via(), reason);
        }
    }

    /** Peers whose first refused message has been logged. */
    private final Set<PeerLink> warnedPeers = new HashSet<>();

    long rejectedCount() {
        return rejected;
    }

    /** This node's sync figures with the mesh's; on the event loop. */
    SyncStatus status(dev.jv2p.mesh.MeshStatus meshStatus) {
        return new SyncStatus(meshStatus, store.size(), store.estimatedBytes(), store.tombstones(),
                store.writesMerged(), store.leaseRefusals(), store.localLeaseConflicts(), antiEntropyRounds, rejected,
                0, 0, 0, differingPeers());
    }

    /** Batch signatures made and owner signatures checked (0 when owners are not authenticated). */
    long[] signatureCounts() {
        return signing == null ? new long[2] : new long[] {signing.signatures(), signing.verifications()};
    }

    // ---- outbound -----------------------------------------------------------------------------

    /**
     * Broadcasts a write this node originated, {@code packets} being the payload after the
     * sub-flag; with owner signatures on, it is queued and signed in a batch first.
     */
    void broadcast(Write write, List<Object> packets, int subFlag) {
        noteLiveWrite();
        if (signing != null) {
            signing.broadcast(write, packets, subFlag); // signed in a batch, then queued here
        } else {
            queue(write.timestamp(), subFlag, packets);
        }
    }

    /** Queues a live write of this node, stamped {@code time}, for {@link #sendOutgoing}. */
    private void queue(long time, int subFlag, List<Object> packets) {
        if (outgoing.isEmpty()) {
            mesh.executeLater(this::sendOutgoing); // after the rest of this loop turn: its writes share frames
        }
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
        if (outgoing.isEmpty()) {
            mesh.executeLater(this::sendOutgoing);
        }
        outgoing.add(new Outgoing(time, List.of(writes, WriteSigning.SCHEME, signature), 0, true));
    }

    /** Live writes of this loop turn, waiting to go out (see {@link SyncWire#WRITE_BATCH}). */
    private final List<Outgoing> outgoing = new ArrayList<>();

    /** One write (its packets, sub-flag first), or the payload of a write batch signed whole. */
    private record Outgoing(long time, List<Object> message, long size, boolean signedBatch) {
    }

    /**
     * Sends the writes of this loop turn: alone, a write goes out as its own message, exactly
     * as js2p expects; several of the same second go out as write batches under the frame
     * budget, which cost peers one frame, one checksum and one seen-cache entry for all.
     */
    private void sendOutgoing() {
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
            while (j < outgoing.size() && !outgoing.get(j).signedBatch() && outgoing.get(j).time() == time
                    && j - i < MAX_WRITES_PER_BATCH
                    && (j == i || size + outgoing.get(j).size() <= budget)) {
                size += outgoing.get(j).size();
                j++;
            }
            if (j - i == 1) {
                List<Object> message = outgoing.get(i).message();
                mesh.send(message.subList(1, message.size()), Flags.BROADCAST, (int) (long) (Long) message.get(0), time);
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

    private static final int MAX_WRITES_PER_BATCH = 1000;

    /** Sends the writes waiting for their batch signature now (before closing). */
    void flush() {
        if (signing != null) {
            signing.flush();
        }
        if (!outgoing.isEmpty()) {
            sendOutgoing();
        }
    }

    /**
     * Starts an anti-entropy round with {@code peer}: the bucket digest if it announced it, the
     * older digest otherwise; nothing if its rules differ from this node's.
     */
    void sendDigest(PeerLink peer) {
        PeerSync p = peerSync.get(peer);
        if (p != null && !p.sameRules()) {
            return;
        }
        if (p != null && p.bucketDigest()) {
            exchange.sendDigest(peer);
            return;
        }
        List<Object> hashes = new ArrayList<>(StoreDigest.BUCKETS);
        for (long h : store.digest().toArray()) {
            hashes.add(h);
        }
        peer.whisper(List.of((long) SyncWire.DIGEST, hashes, SyncWire.watermarks(store.graveyard())));
    }

    /**
     * The fingerprint of the owners a node admits: empty when it admits any, otherwise a hash of
     * its allow-list with its own id (which it always admits), so that nodes that list each
     * other, as a mesh with one allow-list does, agree.
     */
    private static String allowListFingerprint(Set<String> allowed, String ownId) {
        if (allowed.isEmpty()) {
            return "";
        }
        java.util.TreeSet<String> admitted = new java.util.TreeSet<>(allowed);
        admitted.add(ownId);
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (String id : admitted) {
                sha.update(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return java.util.HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Sends histories in batches under the frame limit, a slice per event-loop task; a slice
     * ends early when the peer's queue passes its high water mark, and the next starts once it
     * has drained, so a transfer of any size never queues much more than that mark.
     */
    private void sendHistories(PeerLink peer, List<KeyHistory> histories) {
        // One transfer per peer at a time: during a long join every anti-entropy round finds
        // all buckets different, and starting a fresh full copy each round would multiply the
        // work. What changes meanwhile is found by the first round after this one ends.
        if (!transferring.add(peer)) {
            return;
        }
        flush(); // so that this node's newest writes go out with their proofs
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
                    batch.add(SyncWire.history(h, signing));
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
                    peer.whisper(List.of((long) Flags.STORE, SyncWire.keyText(e.key()), e.value(),
                            e.stamp().owner(), e.stamp().timestamp()));
                    sent++;
                }
                if (it.hasNext() && peer.isOpen()) {
                    peer.whenWritable(this);
                }
            }
        };
        slice.run();
    }

    // ---- peer life cycle ----------------------------------------------------------------------

    @Override
    public void onPeerReady(PeerLink peer, boolean sendsState) {
        if (!sendsState || signing != null) {
            return; // a mesh that authenticates owners has no js2p peers: jv2p peers sync by digest
        }
        // A jv2p peer says hello right after the handshake; only a peer that stays silent is
        // treated as js2p and sent the per-key transfer.
        mesh.schedule(() -> {
            if (peer.isOpen() && !peer.isJv2p()) {
                sendJs2pTransfer(peer);
            }
        }, config.js2pTransferDelay());
    }

    /**
     * A peer said the mesh's jv2p hello: this node sends its sync hello, and compares digests
     * once the peer's sync hello has come (so it knows which digest the peer reads and whether
     * their rules agree). A peer of an older jv2p sends none: it gets the older digest after
     * {@link SyncConfig#js2pTransferDelay()}.
     */
    @Override
    public void onJv2pPeer(PeerLink peer) {
        peer.whisper(ownHello());
        mesh.schedule(() -> {
            if (peer.isOpen() && !peerSync.containsKey(peer)) {
                firstDigest(peer);
            }
        }, config.js2pTransferDelay());
    }

    /** The first digest sent to a peer that has just connected (or deferred, see below). */
    private void firstDigest(PeerLink peer) {
        long now = System.nanoTime();
        boolean dialed = peer.info() != null && peer.info().outgoing();
        if (!quietSince(now) || (dialed && now - lastConnectDigestNanos < CONNECT_QUIET_NANOS)) {
            // Another peer is (probably) sending this node what it lacks, or is about to: a
            // joiner dials the peers its first peer lists before that peer's digest has come
            // back. Ask this one later, so that a joiner does not receive the whole dictionary
            // from every peer.
            deferDigest(peer);
            return;
        }
        if (dialed) {
            lastConnectDigestNanos = now;
        }
        sendDigest(peer);
    }

    private void deferDigest(PeerLink peer) {
        if (deferredDigests.isEmpty()) {
            mesh.schedule(this::sendDeferredDigests, java.time.Duration.ofNanos(CONNECT_QUIET_NANOS));
        }
        deferredDigests.add(peer);
    }

    /** Whether a large history batch arrived within the last {@link #IMPORT_QUIET_NANOS}. */
    private boolean importing(long now) {
        return now - lastHistoryNanos < IMPORT_QUIET_NANOS;
    }

    /**
     * Whether no digest showed a large difference for {@link #CONNECT_QUIET_NANOS} and no
     * import is under way.
     */
    private boolean quietSince(long now) {
        return now - lastLargeDifferenceNanos >= CONNECT_QUIET_NANOS && !importing(now);
    }

    private void sendDeferredDigests() {
        long now = System.nanoTime();
        if (!quietSince(now)) {
            mesh.schedule(this::sendDeferredDigests, java.time.Duration.ofNanos(CONNECT_QUIET_NANOS));
            return;
        }
        if (liveWritesSinceRound >= BUSY_WRITES) {
            // Live writes are flowing: a digest now mostly shows writes in flight, and the answer
            // would re-send them. The periodic rounds, which wait for a quiet moment (within
            // MAX_BUSY_SKIPS), compare with these peers instead.
            deferredDigests.clear();
            return;
        }
        for (PeerLink peer : deferredDigests) {
            if (peer.isOpen()) {
                sendDigest(peer);
            }
        }
        deferredDigests.clear();
    }

    private void noteLiveWrite() {
        liveWritesSinceRound++;
    }

    @Override
    public void onStateRequest(PeerLink peer) {
        if (peer.isJv2p() || signing != null) {
            sendHistories(peer, store.histories());
        } else {
            sendJs2pTransfer(peer);
        }
    }

    @Override
    public void onPeerClosed(PeerLink peer) {
        transferring.remove(peer);
        peerSync.remove(peer);
        warnedPeers.remove(peer);
    }

    /**
     * Periodic work: collect old tombstones, compare digests with every jv2p peer. While live
     * writes flow ({@value #BUSY_WRITES} or more applied or made during the last interval) the
     * comparison is skipped, up to {@value #MAX_BUSY_SKIPS} rounds in a row: writes still in
     * flight make buckets differ, and answering them would re-send whole buckets the peer is
     * about to receive anyway.
     */
    void antiEntropyRound() {
        store.collectGarbage(mesh.now());
        if (signing != null) {
            signing.retain(store);
        }
        boolean busy = liveWritesSinceRound >= BUSY_WRITES;
        liveWritesSinceRound = 0;
        if (importing(System.nanoTime())) {
            return; // a transfer is arriving; the deferred digests follow it
        }
        if (busy && busySkips < MAX_BUSY_SKIPS) {
            busySkips++;
            return;
        }
        busySkips = 0;
        antiEntropyRounds++;
        for (PeerLink peer : mesh.peerLinks()) {
            if (peer.isJv2p() && takesPartInAntiEntropy(peer)) {
                sendDigest(peer);
            }
        }
    }
}
