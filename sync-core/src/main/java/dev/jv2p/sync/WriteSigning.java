package dev.jv2p.sync;

import dev.jv2p.mesh.LayerContext;
import dev.jv2p.mesh.spi.NodeIdentity;
import dev.jv2p.sync.internal.Entry;
import dev.jv2p.sync.internal.KeyHistory;
import dev.jv2p.sync.internal.MerkleBatch;
import dev.jv2p.sync.internal.SyncStore;
import dev.jv2p.sync.internal.Write;
import dev.jv2p.sync.internal.WriteLeaf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Owner signatures for the writes of a mesh whose transport binds node ids to keys
 * ({@code TLS}): this node signs every write it originates, and accepts a write from the network
 * only with a valid signature by the write's owner. So a relay, or any member, cannot forge
 * another node's write or take its lease. See {@code SECURITY.md}.
 *
 * <p><b>Amortized signing.</b> Writes are signed in batches: the leaves of a batch
 * ({@link WriteLeaf}) form a {@link MerkleBatch}, and one Ed25519 signature of its root covers
 * them all; each write travels with the signature and its own path, so it can be checked alone
 * (relayed, transferred, replayed from history). A batch is closed at most {@link #WINDOW}
 * after the previous one: a node writing rarely signs each write at once (and adds no delay),
 * a node writing fast signs at most 1/WINDOW times a second whatever its write rate, up to
 * {@link #MAX_BATCH} writes per signature. Receivers remember recently verified roots, so the
 * rest of a batch costs them hashing only.
 *
 * <p><b>Wire.</b> Several writes of one second signed together travel as one write batch
 * {@code [0x3C, [writes], 1, signature]}: the writes without proofs, the signature once;
 * receivers rebuild the tree from the writes in order. A proof is
 * {@code signature(64) ‖ path steps (33 bytes each)}, carried after
 * the scheme number {@link #SCHEME} as trailing elements that js2p would ignore (spec §17a):
 * store {@code [11, key, value, seq, 1, proof]} (length 6, never the transfer's 5), delta
 * {@code [17, key, map, seq, 1, proof]}, delete {@code [0x38, key, seq, 1, proof]}; in history
 * batches a write is {@code [kind, value, owner, timestamp, seq, proof]} and a base
 * {@code [value, owner, timestamp, seq, tombstone, kind, proof]}, the proof of the write that
 * set it.
 *
 * <p>Everything runs on the node's event loop; not thread-safe.
 */
final class WriteSigning {
    /** The signature scheme number carried before each proof. */
    static final long SCHEME = 1;
    /** The longest a write waits for its batch to be signed. */
    static final Duration WINDOW = Duration.ofMillis(1);

    static final int MAX_BATCH = 1024;
    private static final int SIGNATURE = 64;
    private static final int VERIFIED_ROOTS = 8192;
    private static final byte[] ROOT_DOMAIN = "jv2p-batch/1".getBytes(StandardCharsets.US_ASCII);

    private final NodeIdentity identity;
    private final LayerContext mesh;
    private final String protocolId;
    private final List<Pending> pending = new ArrayList<>();
    private final WriteProofs proofs;
    private final Map<RootKey, Boolean> verifiedRoots = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<RootKey, Boolean> eldest) {
            return size() > VERIFIED_ROOTS;
        }
    };
    private boolean flushScheduled;
    /** Flushes so far: a scheduled flush finding a later one made runs no more (see {@link #broadcast}). */
    private long flushes;

    private final SyncClock clock;
    private long lastFlushNanos;
    private long signatures;
    private long verifications;

    private record Pending(Write write, List<Object> packets, int subFlag, long size) {}

    private record RootKey(String owner, ByteBuffer root) {}

    /** Where signed writes go out: the replicator, which puts the writes of one second into write batches. */
    interface Sender {
        /** One write with its proof; {@code packets} is the payload after the sub-flag. */
        void send(long time, int subFlag, List<Object> packets);

        /** Writes of one second under one signature: each write's packets, sub-flag first, no proof. */
        void sendBatch(long time, List<Object> writes, byte[] signature);
    }

    private Sender sender;
    private BaseChains chains;

    /** Where chained bases of received histories are checked ({@link BaseChains}). */
    void chains(BaseChains chains) {
        this.chains = chains;
    }

    void sender(Sender sender) {
        this.sender = sender;
    }

    WriteSigning(NodeIdentity identity, LayerContext mesh, SyncClock clock) {
        this.identity = identity;
        this.mesh = mesh;
        this.protocolId = mesh.protocolId();
        this.proofs = new WriteProofs(protocolId);
        this.clock = clock;
        this.lastFlushNanos = clock.nanoTime() - WINDOW.toNanos();
    }

    // ---- signing ------------------------------------------------------------------------------

    /** Queues a local write for signing and broadcast; {@code packets} is the payload after the sub-flag. */
    void broadcast(Write write, List<Object> packets, int subFlag) {
        pending.add(new Pending(write, packets, subFlag, SyncWire.estimateSize(packets)));
        if (flushScheduled) {
            return;
        }
        flushScheduled = true;
        long round = flushes;
        Runnable task = () -> {
            if (flushes == round) { // else a flush since (flushIfDue, close) sent these writes
                flush();
            }
        };
        long wait = lastFlushNanos + WINDOW.toNanos() - clock.nanoTime();
        if (wait <= 0) {
            mesh.executeLater(task); // after the rest of this loop turn: writes made in it share the batch
        } else {
            mesh.schedule(task, Duration.ofNanos(wait));
        }
    }

    /** Signs and sends the queued writes now if the last signature is at least {@link #WINDOW} old. */
    void flushIfDue() {
        if (!pending.isEmpty() && clock.nanoTime() - lastFlushNanos >= WINDOW.toNanos()) {
            flush();
        }
    }

    /**
     * Signs and sends every queued write now: the writes of one second, up to
     * {@link #MAX_BATCH} and a quarter of the frame limit, under one signature. Alone, a write
     * goes out with its proof; several go out as one write batch that carries the signature
     * once, from which receivers rebuild the tree and each write's proof.
     */
    void flush() {
        flushScheduled = false;
        flushes++;
        long budget = mesh.maxFrameLength() / 4;
        while (!pending.isEmpty()) {
            long time = pending.get(0).write().timestamp();
            int n = 0;
            long size = 0;
            while (n < pending.size()
                    && n < MAX_BATCH
                    && pending.get(n).write().timestamp() == time
                    && (n == 0 || size + pending.get(n).size() <= budget)) {
                size += pending.get(n).size();
                n++;
            }
            List<Pending> batch = new ArrayList<>(pending.subList(0, n));
            pending.subList(0, n).clear();
            List<byte[]> leaves = new ArrayList<>(batch.size());
            for (Pending p : batch) {
                leaves.add(WriteLeaf.of(protocolId, p.write()));
            }
            MerkleBatch tree = MerkleBatch.of(leaves);
            byte[] signature = identity.sign(rootMessage(tree.root()));
            signatures++;
            verifiedRoots.put(new RootKey(identity.nodeId(), ByteBuffer.wrap(tree.root())), Boolean.TRUE);
            List<Object> writes = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                byte[] proof = concat(signature, tree.path(i));
                proofs.remember(p.write(), leaves.get(i), proof);
                if (batch.size() == 1) {
                    List<Object> packets = new ArrayList<>(p.packets());
                    packets.add(SCHEME);
                    packets.add(proof);
                    sender.send(time, p.subFlag(), packets);
                } else {
                    List<Object> element = new ArrayList<>(p.packets().size() + 1);
                    element.add((long) p.subFlag());
                    element.addAll(p.packets());
                    writes.add(element);
                }
            }
            if (batch.size() > 1) {
                sender.sendBatch(time, writes, signature);
            }
        }
        lastFlushNanos = clock.nanoTime();
    }

    /**
     * Signs this node's own writes that {@code store} holds without a proof, and returns how
     * many. A write is logged, and acknowledged, before the batch it belongs to is signed: a
     * node killed in between comes back from its data directory with writes it could not
     * prove, which every peer of an authenticated mesh refuses. Run once, after the store has
     * loaded and before any message is handled; the proofs reach the durable store's journal.
     */
    int proveOwnWrites(SyncStore store) {
        List<Write> unproven = new ArrayList<>();
        for (KeyHistory h : store.histories()) {
            for (Write w : h.writes()) {
                if (w.owner().equals(identity.nodeId()) && proofs.proofOf(w).isEmpty()) {
                    unproven.add(w);
                }
            }
        }
        for (int from = 0; from < unproven.size(); from += MAX_BATCH) {
            List<Write> batch = unproven.subList(from, Math.min(unproven.size(), from + MAX_BATCH));
            List<byte[]> leaves = new ArrayList<>(batch.size());
            for (Write w : batch) {
                leaves.add(WriteLeaf.of(protocolId, w));
            }
            MerkleBatch tree = MerkleBatch.of(leaves);
            byte[] signature = identity.sign(rootMessage(tree.root()));
            signatures++;
            for (int i = 0; i < batch.size(); i++) {
                proofs.remember(batch.get(i), leaves.get(i), concat(signature, tree.path(i)));
            }
        }
        return unproven.size();
    }

    // ---- verifying ----------------------------------------------------------------------------

    /**
     * Checks the trailing {@code [scheme, proof]} of a live write whose payload has exactly
     * {@code expectedSize} elements, and remembers the proof if it holds.
     *
     * @throws IllegalArgumentException if the write is unsigned or its signature does not hold
     */
    void verifyLive(Write write, List<Object> p, int expectedSize) {
        if (p.size() != expectedSize
                || !(p.get(expectedSize - 2) instanceof Long scheme)
                || scheme != SCHEME
                || !(p.get(expectedSize - 1) instanceof byte[] proof)) {
            throw new IllegalArgumentException("unsigned write of " + write.key() + " claiming owner " + write.owner()
                    + " refused: this mesh authenticates owners");
        }
        if (!identity.admits(write.owner())) {
            throw new IllegalArgumentException("write of " + write.key() + " by " + write.owner()
                    + " refused: its owner is not on this node's allow-list");
        }
        if (!verify(write, proof)) {
            throw new IllegalArgumentException(
                    "write of " + write.key() + " is not signed by its claimed owner " + write.owner() + ": refused");
        }
    }

    /**
     * Whether {@code signature} is {@code owner}'s signature of the Merkle root of
     * {@code writes}, in that order (all stamped with {@code owner}); remembers each write's
     * proof if so, for later transfers.
     */
    boolean verifyBatch(String owner, List<Write> writes, byte[] signature) {
        if (signature.length != SIGNATURE || !identity.admits(owner)) {
            return false;
        }
        List<byte[]> leaves = new ArrayList<>(writes.size());
        for (Write w : writes) {
            if (!w.owner().equals(owner)) {
                return false;
            }
            leaves.add(WriteLeaf.of(protocolId, w));
        }
        MerkleBatch tree = MerkleBatch.of(leaves);
        RootKey rootKey = new RootKey(owner, ByteBuffer.wrap(tree.root()));
        if (verifiedRoots.get(rootKey) == null) {
            verifications++;
            if (!identity.verify(owner, rootMessage(tree.root()), signature)) {
                return false;
            }
            verifiedRoots.put(rootKey, Boolean.TRUE);
        }
        for (int i = 0; i < writes.size(); i++) {
            proofs.remember(writes.get(i), leaves.get(i), concat(signature, tree.path(i)));
        }
        return true;
    }

    /** Whether {@code proof} shows that {@code write}'s owner signed it; remembers the proof if so. */
    boolean verify(Write write, byte[] proof) {
        if (proof.length < SIGNATURE || !identity.admits(write.owner())) {
            return false;
        }
        byte[] leaf = WriteLeaf.of(protocolId, write);
        byte[] root = MerkleBatch.rootOf(leaf, proof, SIGNATURE);
        if (root == null) {
            return false;
        }
        RootKey rootKey = new RootKey(write.owner(), ByteBuffer.wrap(root));
        if (verifiedRoots.get(rootKey) == null) {
            verifications++;
            if (!identity.verify(write.owner(), rootMessage(root), Arrays.copyOf(proof, SIGNATURE))) {
                return false;
            }
            verifiedRoots.put(rootKey, Boolean.TRUE);
        }
        proofs.remember(write, leaf, proof);
        return true;
    }

    /**
     * The part of a peer's history that carries valid owner signatures: writes without one are
     * left out, and so is a base without one (the key's older state then comes from the writes,
     * or from a later exchange). {@code raw} is the history as received.
     *
     * @return the verified history and how many of its parts were refused
     */
    Verified verified(KeyHistory h, List<?> raw) {
        int refused = 0;
        Entry base = h.base();
        if (base != null) {
            List<?> rawBase = (List<?>) raw.get(2);
            boolean proven;
            if (rawBase.size() == 7 && rawBase.get(5) instanceof Long k && k == BaseChains.CHAINED) {
                proven = chains != null && rawBase.get(6) instanceof List<?> chain && chains.proves(base, chain);
            } else {
                Write asWrite = rawBase.size() == 7 && rawBase.get(6) instanceof byte[]
                        ? WriteProofs.baseWrite(base, rawBase.get(5))
                        : null;
                proven = asWrite != null && verify(asWrite, (byte[]) rawBase.get(6));
            }
            if (!proven) {
                base = null;
                refused++;
            }
        }
        List<?> rawWrites = (List<?>) raw.get(3);
        List<Write> writes = new ArrayList<>(h.writes().size());
        for (int i = 0; i < h.writes().size(); i++) {
            Write w = h.writes().get(i);
            if (rawWrites.get(i) instanceof List<?> rw
                    && rw.size() == 6
                    && rw.get(5) instanceof byte[] proof
                    && verify(w, proof)) {
                writes.add(w);
            } else {
                refused++;
            }
        }
        return new Verified(new KeyHistory(h.key(), h.horizon(), base, writes), refused);
    }

    record Verified(KeyHistory history, int refused) {}

    // ---- proofs for transfers (kept by WriteProofs) -------------------------------------------

    /** See {@link WriteProofs#proofOf(Write)}. */
    Optional<byte[]> proofOf(Write write) {
        return proofs.proofOf(write);
    }

    /** See {@link WriteProofs#proofOf(Entry)}. */
    Optional<Object[]> proofOf(Entry base) {
        return proofs.proofOf(base);
    }

    /** The proofs this node holds. */
    WriteProofs proofs() {
        return proofs;
    }

    /** See {@link WriteProofs#retain}. */
    void retain(SyncStore store) {
        proofs.retain(store);
    }

    long signatures() {
        return signatures;
    }

    long verifications() {
        return verifications;
    }

    private static byte[] rootMessage(byte[] root) {
        return concat(ROOT_DOMAIN, root);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
