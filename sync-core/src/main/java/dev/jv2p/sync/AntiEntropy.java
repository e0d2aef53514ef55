package dev.jv2p.sync;

import dev.jv2p.mesh.LayerContext;
import dev.jv2p.mesh.Message;
import dev.jv2p.mesh.PeerLink;
import dev.jv2p.sync.internal.KeyHistory;
import dev.jv2p.sync.internal.StoreDigest;
import dev.jv2p.sync.internal.SyncStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Anti-entropy with jv2p peers, and when to run it: the first digest to a peer that has just
 * connected, the periodic rounds, and the digests of peers. A joining node is not sent the
 * whole dictionary by every peer, and a node that is importing, or whose links are busy with
 * live writes, holds its digests back. Everything here runs on the node's event loop.
 */
final class AntiEntropy {
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

    private final LayerContext mesh;
    private final SyncStore store;
    private final SyncClock clock;
    private final SyncHellos hellos;
    private final StateTransfer transfer;
    /** Anti-entropy with peers that announced the bucket digest. */
    private final DigestExchange exchange;

    private long antiEntropyRounds;
    /** When a digest last showed a quarter of the buckets or more differing. */
    private long lastLargeDifferenceNanos;

    private long lastHistoryNanos;
    /** When this node last sent a peer its digest because the peer had just connected. */
    private long lastConnectDigestNanos;

    private final Set<PeerLink> deferredDigests = new LinkedHashSet<>();
    /** Peers that dialed this node and whose first digest has not come yet (see {@link #onSyncHello}). */
    private final Set<PeerLink> awaitingConnectDigest = new HashSet<>();
    /** Live writes applied or made since the last anti-entropy round. */
    private long liveWritesSinceRound;

    private int busySkips;

    AntiEntropy(LayerContext mesh, SyncStore store, SyncClock clock, SyncHellos hellos, StateTransfer transfer) {
        this.mesh = mesh;
        this.store = store;
        this.clock = clock;
        this.hellos = hellos;
        this.transfer = transfer;
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
                transfer.sendHistories(peer, histories);
            }
        });
        // nanoTime has an arbitrary origin: start "long ago" rather than at zero
        this.lastLargeDifferenceNanos = clock.nanoTime() - 2 * IMPORT_QUIET_NANOS;
        this.lastHistoryNanos = lastLargeDifferenceNanos;
        this.lastConnectDigestNanos = lastLargeDifferenceNanos;
    }

    /** Counts a live write applied or made, for the busy test of the next round. */
    void noteLiveWrite() {
        liveWritesSinceRound++;
    }

    /** Notes a history batch of {@code size} keys arriving: a large one marks this node as importing. */
    void onHistoryBatch(int size) {
        if (size >= LARGE_BATCH) {
            lastHistoryNanos = clock.nanoTime();
        }
    }

    void onPeerClosed(PeerLink peer) {
        awaitingConnectDigest.remove(peer);
        exchange.onPeerClosed(peer);
    }

    long rounds() {
        return antiEntropyRounds;
    }

    // ---- digests from peers -------------------------------------------------------------------

    /** The older digest, from peers that have not announced the bucket digest. */
    void onLegacyDigest(Message m, SyncMessages.LegacyDigest d) {
        if (d.watermarks().length > 0) {
            store.mergeGraveyard(d.watermarks(), mesh.now());
        }
        int[] differing = store.digest().differingBuckets(StoreDigest.of(d.buckets()));
        long nanos = clock.nanoTime();
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
        transfer.sendHistories(m.via(), store.historiesIn(buckets));
    }

    void onBucketDigest(PeerLink peer, DigestExchange.Digest d) {
        boolean connectDigest = awaitingConnectDigest.remove(peer);
        if (transfer.transferringTo(peer)) {
            // A transfer to this peer is under way: the digest mostly shows what is still on
            // its way, and summaries of it would only queue behind the transfer. The peer's
            // next round compares what is left.
            return;
        }
        long nanos = clock.nanoTime();
        if (importing(nanos)) {
            if (d.watermarks().length > 0) {
                store.mergeGraveyard(d.watermarks(), mesh.now());
            }
            deferDigest(peer);
            return;
        }
        DigestExchange.Compared compared = exchange.onDigest(peer, d);
        if (compared.differing() >= StoreDigest.BUCKETS / 4) {
            lastLargeDifferenceNanos = nanos;
        }
        if (connectDigest && compared.leftToOwnDigest()) {
            // this node lacks much and the dialer's exchange left that to this node's digest:
            // sent now, or deferred like a dialer's while another peer's transfer may cover it
            firstDigest(peer);
        }
    }

    void onSummaries(PeerLink peer, DigestExchange.Summaries summaries) {
        exchange.onSummaries(peer, summaries);
    }

    void onWant(PeerLink peer, DigestExchange.Want want) {
        exchange.onWant(peer, want);
    }

    // ---- digests to peers ---------------------------------------------------------------------

    /**
     * Starts an anti-entropy round with {@code peer}: the bucket digest if it announced it, the
     * older digest otherwise; nothing if its rules differ from this node's.
     */
    void sendDigest(PeerLink peer) {
        SyncHellos.PeerSync p = hellos.of(peer);
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
     * A peer's sync hello came: with a peer that reads the bucket digest, the node that dialed
     * the link starts the first exchange and the other waits for it. That exchange repairs both
     * directions (the dialer sends what the other lacks and wants what it lacks), and a node
     * rejoining several peers got every changed key once per direction and peer when both ends
     * started one. The listening node still sends its digest when the dialer's left the
     * buckets it lacks whole to it (see {@link DigestExchange#onDigest}); the older digest
     * repairs only its sender, so there both ends start.
     */
    void onSyncHello(PeerLink peer) {
        SyncHellos.PeerSync p = hellos.of(peer);
        boolean dialed = peer.info() != null && peer.info().outgoing();
        if (dialed || p == null || !p.bucketDigest()) {
            firstDigest(peer);
        } else {
            awaitingConnectDigest.add(peer);
        }
    }

    /** The first digest sent to a peer that has just connected (or deferred, see below). */
    void firstDigest(PeerLink peer) {
        long now = clock.nanoTime();
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
            mesh.schedule(this::sendDeferredDigests, Duration.ofNanos(CONNECT_QUIET_NANOS));
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
        long now = clock.nanoTime();
        if (!quietSince(now)) {
            mesh.schedule(this::sendDeferredDigests, Duration.ofNanos(CONNECT_QUIET_NANOS));
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

    /**
     * The periodic comparison of digests with every jv2p peer. While live writes flow
     * ({@value #BUSY_WRITES} or more applied or made during the last interval) the comparison
     * is skipped, up to {@value #MAX_BUSY_SKIPS} rounds in a row: writes still in flight make
     * buckets differ, and answering them would re-send whole buckets the peer is about to
     * receive anyway.
     */
    void round() {
        boolean busy = liveWritesSinceRound >= BUSY_WRITES;
        liveWritesSinceRound = 0;
        if (importing(clock.nanoTime())) {
            return; // a transfer is arriving; the deferred digests follow it
        }
        if (busy && busySkips < MAX_BUSY_SKIPS) {
            busySkips++;
            return;
        }
        busySkips = 0;
        antiEntropyRounds++;
        for (PeerLink peer : mesh.peerLinks()) {
            // a peer whose queue is above its high water mark is still reading what it was sent:
            // a digest (36 kB with watermarks) each round would pile up behind it
            if (peer.isJv2p() && hellos.takesPartInAntiEntropy(peer) && peer.isWritable()) {
                sendDigest(peer);
            }
        }
    }
}
