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
import java.util.Iterator;
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

    /** Forgets proofs of writes the store no longer holds (run after garbage collection). */
    void retain(SyncStore store) {
        for (Iterator<Map.Entry<Key, List<Proof>>> it = proofs.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, List<Proof>> e = it.next();
            Optional<KeyHistory> h = store.history(e.getKey());
            if (h.isEmpty()) {
                it.remove();
                continue;
            }
            Set<WriteStamp> held = new HashSet<>();
            if (h.get().base() != null) {
                held.add(h.get().base().stamp());
            }
            for (Write w : h.get().writes()) {
                held.add(w.stamp());
            }
            e.getValue().removeIf(p -> !held.contains(p.stamp()));
            if (e.getValue().isEmpty()) {
                it.remove();
            }
        }
    }

    /** Keeps {@code proof} of {@code write} (whose leaf is {@code leaf}) unless it is held already. */
    void remember(Write write, byte[] leaf, byte[] proof) {
        if (add(write.key(), new Proof(write.stamp(), write.kind(), leaf, proof))) {
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
