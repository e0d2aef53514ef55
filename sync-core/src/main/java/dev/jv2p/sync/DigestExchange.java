package dev.jv2p.sync;

import dev.jv2p.mesh.PeerLink;
import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.sync.internal.BucketDigest;
import dev.jv2p.sync.internal.KeyHistory;
import dev.jv2p.sync.internal.KeySummary;
import dev.jv2p.sync.internal.StoreDigest;
import dev.jv2p.sync.internal.SyncStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Anti-entropy with peers that announce {@link #CAPABILITY}: a collision-resistant digest, the
 * differing buckets narrowed to the keys that differ, and repair in both directions in one
 * round. Everything runs on the node's event loop.
 *
 * <pre>
 *  A                                        B
 *  [0x3E, [256 bucket hashes], [marks]]  →      (B compares; nothing differs: done)
 *                                        ←  [0x3F, [[bucket, [24-byte summaries]]...]]
 *  (A compares key by key)
 *  histories of the differing keys A holds  →
 *  [0x40, [key hashes A wants]]           →
 *                                        ←  histories of those keys B holds
 * </pre>
 * A summary is a key's hash (8 bytes) and its entry hash (16 bytes). B sends the buckets A
 * holds nothing of whole, without summaries; when B itself lacks {@link #BULK_BUCKETS} buckets
 * or more, it leaves them to its own digest, so a joining node that hears from several peers at
 * once receives the dictionary from the one its digest went to, not from each. So repair bytes grow with the number of differing
 * keys (24 bytes per key of a differing bucket, plus the histories that differ), not with the
 * store, and both sides repair, so a write held on either side near the retention boundary is
 * not left to the other side's next round.
 */
final class DigestExchange {
    /** The capability a peer announces in its sync hello to be sent this exchange. */
    static final String CAPABILITY = "bucket-digest";

    static final int DIGEST = Flags.LAYER_EXTENSION_BASE + 6;
    static final int SUMMARIES = Flags.LAYER_EXTENSION_BASE + 7;
    static final int WANT = Flags.LAYER_EXTENSION_BASE + 8;
    private static final int SUMMARY_BYTES = 8 + BucketDigest.HASH_BYTES;
    /** From how many buckets a node lacks whole the repair counts as a bulk transfer. */
    static final int BULK_BUCKETS = StoreDigest.BUCKETS / 4;

    /** What the exchange needs of the node around it. */
    interface Node {
        SyncStore store();

        /** The node's clock, whole seconds. */
        long now();

        /** The largest frame a peer accepts; messages are cut to a quarter of it. */
        long maxFrameLength();

        /** Sends histories to a peer in slices under the frame limit (with proofs where owners sign). */
        void sendHistories(PeerLink peer, List<KeyHistory> histories);
    }

    /** A peer's digest: one hash per bucket, and its graveyard watermarks (empty when none). */
    record Digest(BucketDigest buckets, long[] watermarks) implements SyncMessages.SyncMessage {}

    /** A peer's summaries of whole buckets: bucket index to (key hash, entry hash) pairs. */
    record Summaries(Map<Integer, List<KeySummary>> buckets) implements SyncMessages.SyncMessage {}

    /** Key hashes whose histories a peer wants. */
    record Want(Set<Long> keyHashes) implements SyncMessages.SyncMessage {}

    /**
     * What a peer's digest showed: how many buckets differ, and whether this node left the
     * buckets it lacks ({@link #BULK_BUCKETS} or more) to its own digest.
     */
    record Compared(int differing, boolean leftToOwnDigest) {}

    private final Node node;

    DigestExchange(Node node) {
        this.node = node;
    }

    // ---- sending -------------------------------------------------------------------------------

    /** Starts a round with {@code peer}. */
    void sendDigest(PeerLink peer) {
        List<Object> hashes = new ArrayList<>(StoreDigest.BUCKETS);
        BucketDigest digest = node.store().bucketDigest();
        for (int b = 0; b < StoreDigest.BUCKETS; b++) {
            hashes.add(digest.bucket(b));
        }
        peer.whisper(
                List.of((long) DIGEST, hashes, SyncWire.watermarks(node.store().graveyard())));
    }

    // ---- receiving -----------------------------------------------------------------------------

    /**
     * B's side: compares the digest and answers with summaries of the differing buckets.
     *
     * @return how many buckets differ, and whether those this node lacks are left to its digest
     */
    Compared onDigest(PeerLink peer, Digest digest) {
        if (digest.watermarks().length > 0) {
            node.store().mergeGraveyard(digest.watermarks(), node.now());
        }
        BucketDigest mine = node.store().bucketDigest();
        int[] differing = mine.differingBuckets(digest.buckets());
        if (differing.length == 0) {
            return new Compared(0, false);
        }
        Set<Integer> buckets = new TreeSet<>();
        for (int b : differing) {
            buckets.add(b);
        }
        // Where the peer holds nothing, summaries would only tell it to ask for everything.
        Set<Integer> theyLack = new TreeSet<>();
        for (int b : differing) {
            if (java.util.Arrays.equals(digest.buckets().bucket(b), emptyBucket())) {
                theyLack.add(b);
            }
        }
        // Where this node holds nothing, summaries make the peer send whole buckets. When that
        // is a bulk transfer (a joiner, a node back from a long partition), a node would get it
        // from every peer whose digest reaches it; this node's own digest (sent on connect, by a
        // listener once this returns leftToOwnDigest, deferred while a transfer arrives, and
        // every round) makes one peer send those buckets
        // instead. A few such buckets are summarised as empty, so they are repaired this round.
        Set<Integer> iLack = new TreeSet<>();
        for (int b : differing) {
            if (java.util.Arrays.equals(mine.bucket(b), emptyBucket())) {
                iLack.add(b);
            }
        }
        boolean bulk = iLack.size() >= BULK_BUCKETS;
        if (bulk) {
            buckets.removeAll(iLack);
        }
        if (!theyLack.isEmpty()) {
            node.sendHistories(peer, node.store().historiesIn(theyLack));
            buckets.removeAll(theyLack);
        }
        if (!buckets.isEmpty()) {
            sendSummaries(peer, buckets);
        }
        return new Compared(differing.length, bulk);
    }

    /** A's side: narrows to the differing keys, sends its histories of them and asks for the peer's. */
    void onSummaries(PeerLink peer, Summaries theirs) {
        Set<Long> differing = new TreeSet<>(Long::compareUnsigned);
        for (Map.Entry<Integer, List<KeySummary>> e : theirs.buckets().entrySet()) {
            List<KeySummary> mine = node.store().summariesIn(Set.of(e.getKey()));
            differing.addAll(KeySummary.differing(mine, e.getValue()));
        }
        if (differing.isEmpty()) {
            return;
        }
        List<KeyHistory> histories = node.store().historiesOfKeyHashes(differing);
        if (!histories.isEmpty()) {
            node.sendHistories(peer, histories);
        }
        sendWant(peer, differing);
    }

    /** B's side: sends its histories of the keys asked for. */
    void onWant(PeerLink peer, Want want) {
        List<KeyHistory> histories = node.store().historiesOfKeyHashes(want.keyHashes());
        if (!histories.isEmpty()) {
            node.sendHistories(peer, histories);
        }
    }

    /** Summaries of buckets, in messages under a quarter of the frame limit. */
    private final PacedSends<Integer> summaries = new PacedSends<>(Integer::compare, this::sendSummariesMessage);

    private void sendSummariesMessage(PeerLink peer, NavigableSet<Integer> pending) {
        long budget = node.maxFrameLength() / 4;
        List<Object> batch = new ArrayList<>();
        long size = 0;
        while (!pending.isEmpty()) {
            List<KeySummary> inBucket = node.store().summariesIn(Set.of(pending.first()));
            long bytes = 16 + (long) inBucket.size() * (SUMMARY_BYTES + 2);
            if (!batch.isEmpty() && size + bytes > budget) {
                break;
            }
            batch.add(packed(pending.pollFirst(), inBucket));
            size += bytes;
        }
        peer.whisper(List.of((long) SUMMARIES, batch));
    }

    private void sendSummaries(PeerLink peer, Set<Integer> buckets) {
        summaries.send(peer, buckets);
    }

    /** Forgets what was due to a peer whose link closed. */
    void onPeerClosed(PeerLink peer) {
        summaries.forget(peer);
        wants.forget(peer);
    }

    private static List<Object> packed(int bucket, List<KeySummary> summaries) {
        List<Object> packed = new ArrayList<>(summaries.size());
        for (KeySummary s : summaries) {
            packed.add(pack(s));
        }
        return List.of((long) bucket, packed);
    }

    /**
     * Wants of key hashes, in messages under a quarter of the frame limit. Sent all at once, the
     * want of a node whose joiner summarised a hundred thousand keys it had not received yet
     * (8 bytes each) landed on a queue the join transfer had filled, passed
     * {@code maxQueuedBytesPerPeer} and cut the joiner off (JoinTransferQueueLimitTest, on a
     * loaded machine).
     */
    private final PacedSends<Long> wants = new PacedSends<>(Long::compareUnsigned, this::sendWantMessage);

    private void sendWantMessage(PeerLink peer, NavigableSet<Long> pending) {
        long perMessage = Math.max(1, node.maxFrameLength() / 4 / 10);
        List<Object> batch = new ArrayList<>();
        while (!pending.isEmpty() && batch.size() < perMessage) {
            batch.add(pending.pollFirst());
        }
        peer.whisper(List.of((long) WANT, batch));
    }

    private void sendWant(PeerLink peer, Set<Long> keyHashes) {
        wants.send(peer, keyHashes);
    }

    // ---- parsing, once, at the edge ------------------------------------------------------------

    /**
     * Parses a digest: {@code [0x3E, [256 × 16-byte hashes], [watermarks]]}, the watermarks list
     * empty or one per graveyard slot.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static Digest parseDigest(List<Object> p) {
        if (p.size() != 3 || !(p.get(1) instanceof List<?> hashes) || !(p.get(2) instanceof List<?> marks)) {
            throw new IllegalArgumentException("a bucket digest must be [0x3E, [bucket hashes], [watermarks]]");
        }
        List<byte[]> buckets = new ArrayList<>(hashes.size());
        for (Object h : hashes) {
            if (!(h instanceof byte[] b)) {
                throw new IllegalArgumentException("a bucket hash must be bytes, not " + SyncWire.describe(h));
            }
            buckets.add(b);
        }
        BucketDigest digest = BucketDigest.of(buckets);
        long[] watermarks = new long[marks.size()];
        if (watermarks.length != 0 && watermarks.length != SyncStore.GRAVEYARD_SLOTS) {
            throw new IllegalArgumentException(
                    "a digest carries no watermark or " + SyncStore.GRAVEYARD_SLOTS + ", not " + watermarks.length);
        }
        for (int i = 0; i < watermarks.length; i++) {
            watermarks[i] = SyncWire.integer(marks.get(i), "graveyard watermark");
            if (watermarks[i] < -1) {
                throw new IllegalArgumentException("a graveyard watermark is -1 or more, not " + watermarks[i]);
            }
        }
        return new Digest(digest, watermarks);
    }

    /**
     * Parses summaries: {@code [0x3F, [[bucket, [24-byte summaries]]...]]}, each bucket at most
     * once and in range.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static Summaries parseSummaries(List<Object> p) {
        if (p.size() != 2 || !(p.get(1) instanceof List<?> entries) || entries.size() > StoreDigest.BUCKETS) {
            throw new IllegalArgumentException("summaries must be [0x3F, [[bucket, [summaries]]...]] of at most "
                    + StoreDigest.BUCKETS + " buckets");
        }
        Map<Integer, List<KeySummary>> out = new LinkedHashMap<>();
        for (Object o : entries) {
            if (!(o instanceof List<?> pair) || pair.size() != 2 || !(pair.get(1) instanceof List<?> summaries)) {
                throw new IllegalArgumentException("a bucket's summaries must be [bucket, [summaries]]");
            }
            long bucket = SyncWire.integer(pair.get(0), "bucket");
            if (bucket < 0 || bucket >= StoreDigest.BUCKETS || out.containsKey((int) bucket)) {
                throw new IllegalArgumentException("bucket " + bucket + " is out of range or repeated");
            }
            List<KeySummary> parsed = new ArrayList<>(summaries.size());
            for (Object s : summaries) {
                if (!(s instanceof byte[] b) || b.length != SUMMARY_BYTES) {
                    throw new IllegalArgumentException("a key summary must be " + SUMMARY_BYTES + " bytes");
                }
                ByteBuffer buf = ByteBuffer.wrap(b);
                parsed.add(new KeySummary(buf.getLong(), new BucketDigest.EntryHash(buf.getLong(), buf.getLong())));
            }
            out.put((int) bucket, parsed);
        }
        return new Summaries(out);
    }

    /**
     * Parses a want: {@code [0x40, [key hashes]]}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static Want parseWant(List<Object> p) {
        if (p.size() != 2 || !(p.get(1) instanceof List<?> hashes)) {
            throw new IllegalArgumentException("a want must be [0x40, [key hashes]]");
        }
        Set<Long> out = new HashSet<>();
        for (Object h : hashes) {
            out.add(SyncWire.integer(h, "key hash"));
        }
        return new Want(out);
    }

    private static byte[] pack(KeySummary s) {
        return ByteBuffer.allocate(SUMMARY_BYTES)
                .putLong(s.keyHash())
                .putLong(s.entryHash().high())
                .putLong(s.entryHash().low())
                .array();
    }

    private static byte[] emptyBucket() {
        return EMPTY;
    }

    private static final byte[] EMPTY = BucketDigest.emptyBucketHash();
}
