package dev.jv2p.sync;

import dev.jv2p.sync.internal.Entry;
import dev.jv2p.sync.internal.KeyHistory;
import dev.jv2p.sync.internal.ProofJournal;
import dev.jv2p.sync.internal.SyncStore;
import dev.jv2p.sync.internal.Write;
import dev.jv2p.sync.internal.WriteLeaf;
import dev.jv2p.sync.internal.WriteStamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The owners' proofs this node holds ({@link WriteSigning}): of the writes it signed and of
 * those whose signatures it verified, kept while the store holds the write, so that transfers
 * and history batches carry them on. On the node's event loop; not thread-safe.
 */
final class WriteProofs {
    private final String protocolId;
    private final Map<Key, List<Proof>> proofs = new HashMap<>();
    private ProofJournal journal = ProofJournal.NONE;
    /** Keys that gained a proof since the last {@link #retain}. */
    private final Set<Key> recent = new HashSet<>();
    /** The keys of the sweep under way ({@link #retain}), and how far it got. */
    private Key[] sweep = new Key[0];

    private int sweepAt;
    /** In how many {@link #retain} calls a sweep checks every key at least. */
    static final int SWEEP_ROUNDS = 30;

    private static final int MIN_SLICE = 1024;

    private record Proof(WriteStamp stamp, Write.Kind kind, byte[] leaf, byte[] proof) {}

    WriteProofs(String protocolId) {
        this.protocolId = protocolId;
    }

    /** The owner's proof of {@code write}, if this node holds it. */
    Optional<byte[]> proofOf(Write write) {
        List<Proof> held = proofs.get(write.key());
        if (held == null) {
            return Optional.empty();
        }
        byte[] leaf = null;
        for (Proof p : held) {
            if (p.stamp().equals(write.stamp()) && p.kind() == write.kind()) {
                leaf = leaf == null ? WriteLeaf.of(protocolId, write) : leaf;
                if (Arrays.equals(leaf, p.leaf())) {
                    return Optional.of(p.proof());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The kind and proof of the write that set {@code base}: a base the fold of several writes
     * (a delta over a value, folded when the key was compacted) has none.
     */
    Optional<Object[]> proofOf(Entry base) {
        for (Write.Kind kind : Write.Kind.values()) {
            Write w = baseWrite(base, (long) kind.ordinal());
            if (w != null) {
                Optional<byte[]> proof = proofOf(w);
                if (proof.isPresent()) {
                    return Optional.of(new Object[] {(long) kind.ordinal(), proof.get()});
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Forgets proofs of writes the store no longer holds; run once per anti-entropy round,
     * after garbage collection, on the event loop. It checks the keys that gained a proof since
     * the last call (a new write of a key is when its older ones fold away) and a slice of
     * every other key, so that a call costs in proportion to the writes since the last one,
     * not to the store: a pass over a hundred thousand keys held the loop, and every live
     * write behind it, for tens of milliseconds each round. Proofs of writes compacted away by
     * garbage collection, or of buried keys, go within 2 × {@link #SWEEP_ROUNDS} calls (a
     * key the sweep under way has passed waits for the next).
     *
     * @return how many keys were checked
     */
    int retain(SyncStore store) {
        int checked = 0;
        for (Key key : recent) {
            checked += retain(store, key);
        }
        recent.clear();
        if (sweepAt >= sweep.length) {
            sweep = proofs.keySet().toArray(new Key[0]);
            sweepAt = 0;
        }
        int slice = Math.max(MIN_SLICE, -Math.floorDiv(-sweep.length, SWEEP_ROUNDS));
        for (int end = Math.min(sweep.length, sweepAt + slice); sweepAt < end; sweepAt++) {
            checked += retain(store, sweep[sweepAt]);
            sweep[sweepAt] = null;
        }
        return checked;
    }

    private int retain(SyncStore store, Key key) {
        List<Proof> held = proofs.get(key);
        if (held == null) {
            return 0;
        }
        Optional<KeyHistory> h = store.history(key);
        if (h.isEmpty()) {
            proofs.remove(key);
            return 1;
        }
        Set<WriteStamp> kept = new HashSet<>();
        if (h.get().base() != null) {
            kept.add(h.get().base().stamp());
        }
        for (Write w : h.get().writes()) {
            kept.add(w.stamp());
        }
        held.removeIf(p -> !kept.contains(p.stamp()));
        if (held.isEmpty()) {
            proofs.remove(key);
        }
        return 1;
    }

    /** How many keys hold proofs (for tests and status). */
    int keys() {
        return proofs.size();
    }

    /** Keeps {@code proof} of {@code write} (whose leaf is {@code leaf}) unless it is held already. */
    void remember(Write write, byte[] leaf, byte[] proof) {
        if (add(write.key(), new Proof(write.stamp(), write.kind(), leaf, proof))) {
            recent.add(write.key());
            journal.proven(write.key(), write.stamp(), write.kind(), leaf, proof);
        }
    }

    /** Keeps a proof a durable store gave back. */
    void restore(Key key, WriteStamp stamp, Write.Kind kind, byte[] leaf, byte[] proof) {
        add(key, new Proof(stamp, kind, leaf, proof));
    }

    private boolean add(Key key, Proof proof) {
        List<Proof> held = proofs.computeIfAbsent(key, k -> new ArrayList<>(1));
        for (Proof p : held) {
            if (Arrays.equals(p.leaf(), proof.leaf())) {
                return false;
            }
        }
        held.add(proof);
        return true;
    }

    /** Sets who is told of each new proof ({@code null}: nobody). */
    void journal(ProofJournal journal) {
        this.journal = journal == null ? ProofJournal.NONE : journal;
    }

    /** Hands every proof held to {@code out} (for a snapshot). */
    void forEach(ProofJournal out) {
        proofs.forEach((key, held) -> held.forEach(p -> out.proven(key, p.stamp(), p.kind(), p.leaf(), p.proof())));
    }

    /** The write of kind {@code kind} that would have set {@code base}; {@code null} if there is none such. */
    static Write baseWrite(Entry base, Object kind) {
        if (!(kind instanceof Long k) || k < 0 || k >= Write.Kind.values().length) {
            return null;
        }
        try {
            return new Write(base.key(), Write.Kind.values()[(int) (long) k], base.value(), base.stamp());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
