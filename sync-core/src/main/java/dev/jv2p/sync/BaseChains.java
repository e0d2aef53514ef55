package dev.jv2p.sync;

import dev.jv2p.sync.internal.Entry;
import dev.jv2p.sync.internal.Folding;
import dev.jv2p.sync.internal.KeyHistory;
import dev.jv2p.sync.internal.ProofJournal;
import dev.jv2p.sync.internal.SyncStore;
import dev.jv2p.sync.internal.Write;
import dev.jv2p.sync.internal.WriteStamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * In a mesh that authenticates owners, the signed writes that establish a base folded from
 * deltas. When a key is compacted, its base becomes the fold of the writes before the horizon;
 * if the last of them was a set or a delete, that write's own proof shows the base, but a base
 * ending in deltas is nobody's single write, and a receiver that took it unproven would take
 * any member's word for it. So the node keeps, for such a key, its <em>chain</em>: the last set
 * or delete the base took (or nothing, for a key built from deltas alone) and the deltas
 * taken after it, each with its owner's proof. A receiver replays the chain under its own
 * merge rule ({@link SyncStore#replaysTo}); only if every write verifies, is taken, and the
 * replay ends in the base does it take the base, and it keeps the chain to pass it on.
 *
 * <p>A chain stays small: a delta whose entries later deltas of the chain all overwrite adds
 * nothing to the fold and is dropped. With leasing off a delta is always taken, so any such
 * delta goes; with leasing on only within the newest run of one owner's deltas, where dropping
 * one cannot change how the rule judges the rest (an owner may always overwrite itself, and a
 * lease that had run out for the dropped delta has run out for the next). A chain therefore
 * holds at most one delta per map entry of the value (with leasing on, per entry and owner
 * run) plus one set or delete.
 *
 * <p>On the wire the base of a history becomes {@code [value, owner, timestamp, seq,
 * tombstone, 255, [writes]]}, each write in the history's write form with its proof; sent only
 * to peers whose sync hello names {@link #CAPABILITY} (an older peer refuses such a base, as it
 * refused the unproven one before). Loop-confined.
 */
final class BaseChains implements Folding {
    /** The sync hello capability of peers that read chained bases. */
    static final String CAPABILITY = "base-chain";
    /** The base "kind" that says a chain follows. */
    static final long CHAINED = 255;

    private record Signed(Write write, byte[] proof) {}

    private record Chain(WriteStamp stamp, List<Signed> writes) {}

    private final WriteSigning signing;
    private final SyncStore store;
    private final boolean leasing;
    private final Map<Key, Chain> chains = new HashMap<>();
    private ProofJournal journal = ProofJournal.NONE;

    BaseChains(WriteSigning signing, SyncStore store, boolean leasing) {
        this.signing = signing;
        this.store = store;
        this.leasing = leasing;
    }

    @Override
    public void folded(Key key, Entry from, List<Write> taken, Entry to) {
        List<Signed> chain = start(key, from);
        for (Write w : taken) {
            if (w.kind() != Write.Kind.DELTA) {
                chain = new ArrayList<>(); // a set or delete: nothing before it counts
            } else if (chain == null) {
                continue; // a delta over a base nothing proves: stays unproven
            }
            Optional<byte[]> proof = signing.proofOf(w);
            if (proof.isEmpty()) {
                chain = null;
                continue;
            }
            chain.add(new Signed(w, proof.get()));
            prune(chain);
        }
        if (chain == null || chain.stream().noneMatch(s -> s.write().kind() == Write.Kind.DELTA)) {
            chains.remove(key); // unprovable, or a single set or delete whose own proof shows it
        } else {
            keep(key, new Chain(to.stamp(), List.copyOf(chain)));
        }
    }

    /** The chain a key's compaction extends: its base's, or the base's own write, or none. */
    private List<Signed> start(Key key, Entry base) {
        if (base == null) {
            return new ArrayList<>();
        }
        Chain held = chains.get(key);
        if (held != null && held.stamp().equals(base.stamp())) {
            return new ArrayList<>(held.writes());
        }
        Optional<Object[]> single = signing.proofOf(base);
        if (single.isEmpty()) {
            return null;
        }
        Write.Kind kind = Write.Kind.values()[(int) (long) (Long) single.get()[0]];
        List<Signed> out = new ArrayList<>();
        out.add(new Signed(new Write(key, kind, base.value(), base.stamp()), (byte[]) single.get()[1]));
        return out;
    }

    /** Drops the deltas of the chain that later ones overwrite entirely (see the class comment). */
    private void prune(List<Signed> chain) {
        Write last = chain.get(chain.size() - 1).write();
        if (last.kind() != Write.Kind.DELTA) {
            return;
        }
        Set<Object> later = new HashSet<>(((Map<?, ?>) last.value()).keySet());
        for (int i = chain.size() - 2; i >= 0; i--) {
            Write w = chain.get(i).write();
            if (w.kind() != Write.Kind.DELTA || leasing && !w.owner().equals(last.owner())) {
                break;
            }
            Set<?> fields = ((Map<?, ?>) w.value()).keySet();
            if (later.containsAll(fields)) {
                chain.remove(i);
            } else {
                later.addAll(fields);
            }
        }
    }

    /** The wire form of {@code base}'s chain, {@code [255, [writes]]}, if this node holds one. */
    Optional<List<Object>> wireChainOf(Entry base) {
        Chain held = chains.get(base.key());
        if (held == null || !held.stamp().equals(base.stamp())) {
            return Optional.empty();
        }
        List<Object> writes = new ArrayList<>(held.writes().size());
        for (Signed s : held.writes()) {
            List<Object> w = SyncWire.write(s.write());
            w.add(s.proof());
            writes.add(w);
        }
        return Optional.of(List.of(CHAINED, writes));
    }

    /**
     * Whether {@code rawChain} (as received) proves {@code base}: every write well formed,
     * signed by its admitted owner, and their replay under this node's rule ends in the base.
     * A chain that proves it is kept, to pass the base on.
     */
    boolean proves(Entry base, List<?> rawChain) {
        List<Signed> signed = new ArrayList<>(rawChain.size());
        List<Write> writes = new ArrayList<>(rawChain.size());
        for (Object o : rawChain) {
            if (!(o instanceof List<?> raw) || raw.size() != 6 || !(raw.get(5) instanceof byte[] proof)) {
                return false;
            }
            Write w;
            try {
                w = SyncWire.write(base.key(), raw);
            } catch (IllegalArgumentException e) {
                return false;
            }
            if (!signing.verify(w, proof)) {
                return false;
            }
            signed.add(new Signed(w, proof));
            writes.add(w);
        }
        if (!store.replaysTo(writes, base)) {
            return false;
        }
        keep(base.key(), new Chain(base.stamp(), List.copyOf(signed)));
        return true;
    }

    private void keep(Key key, Chain chain) {
        chains.put(key, chain);
        journal.chained(
                key,
                chain.stamp(),
                chain.writes().stream().map(Signed::write).toList(),
                chain.writes().stream().map(Signed::proof).toList());
    }

    /** Keeps a chain a durable store gave back. */
    void restore(Key key, WriteStamp baseStamp, List<Write> writes, List<byte[]> proofs) {
        List<Signed> signed = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            signed.add(new Signed(writes.get(i), proofs.get(i)));
        }
        chains.put(key, new Chain(baseStamp, List.copyOf(signed)));
    }

    /** Sets who is told of each new chain ({@code null}: nobody). */
    void journal(ProofJournal journal) {
        this.journal = journal == null ? ProofJournal.NONE : journal;
    }

    /** Hands every chain held to {@code out} (for a snapshot). */
    void forEach(ProofJournal out) {
        chains.forEach((key, c) -> out.chained(
                key,
                c.stamp(),
                c.writes().stream().map(Signed::write).toList(),
                c.writes().stream().map(Signed::proof).toList()));
    }

    /** Forgets the chains of bases the store no longer holds (run after garbage collection). */
    void retain() {
        for (Iterator<Map.Entry<Key, Chain>> it = chains.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Chain> e = it.next();
            Entry base = store.history(e.getKey()).map(KeyHistory::base).orElse(null);
            if (base == null || !base.stamp().equals(e.getValue().stamp())) {
                it.remove();
            }
        }
    }

    /** How many keys hold a chain (for tests and status). */
    int size() {
        return chains.size();
    }
}
