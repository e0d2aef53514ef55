package dev.jv2p.sync;

import dev.jv2p.sync.internal.ProofJournal;
import dev.jv2p.sync.internal.SyncStore;
import dev.jv2p.sync.internal.Write;
import dev.jv2p.sync.internal.WriteStamp;
import java.util.List;

/**
 * The owners' proofs a node holds in a mesh that authenticates owners ({@link WriteProofs},
 * {@link BaseChains}), as its durable store sees them: a {@link ProofJournal} that takes back
 * what the store kept, a source of all it holds for snapshots, and the place to say who
 * records each new one. On the node's event loop.
 */
final class DurableProofs implements ProofJournal {
    private final WriteSigning signing;
    private final WriteProofs proofs;
    private final BaseChains chains;

    DurableProofs(WriteSigning signing, BaseChains chains) {
        this.signing = signing;
        this.proofs = signing.proofs();
        this.chains = chains;
    }

    /** Signs the node's own loaded writes that have no proof yet ({@link WriteSigning#proveOwnWrites}). */
    int proveOwnWrites(SyncStore store) {
        return signing.proveOwnWrites(store);
    }

    @Override
    public void proven(Key key, WriteStamp stamp, Write.Kind kind, byte[] leaf, byte[] proof) {
        proofs.restore(key, stamp, kind, leaf, proof);
    }

    @Override
    public void chained(Key key, WriteStamp baseStamp, List<Write> writes, List<byte[]> signatures) {
        chains.restore(key, baseStamp, writes, signatures);
    }

    /** Tells {@code journal} of every new proof and chain from now on. */
    void recordTo(ProofJournal journal) {
        proofs.journal(journal);
        chains.journal(journal);
    }

    /** Hands everything held to {@code out}. */
    void forEach(ProofJournal out) {
        proofs.forEach(out);
        chains.forEach(out);
    }
}
