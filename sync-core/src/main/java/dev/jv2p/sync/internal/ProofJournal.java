package dev.jv2p.sync.internal;

import dev.jv2p.sync.Key;
import java.util.List;

/**
 * In a mesh that authenticates owners, the owners' proofs a node holds so that it can pass
 * writes on: each write's proof, and the signed chains that prove bases folded from deltas.
 * The node tells its durable store of each new one, the store gives them back on a restart,
 * and a snapshot asks the node for all it holds; the three go through this one shape. On the
 * node's event loop.
 */
public interface ProofJournal {
    /** Takes nothing. */
    ProofJournal NONE = new ProofJournal() {
        @Override
        public void proven(Key key, WriteStamp stamp, Write.Kind kind, byte[] leaf, byte[] proof) {}

        @Override
        public void chained(Key key, WriteStamp baseStamp, List<Write> writes, List<byte[]> proofs) {}
    };

    /** The proof of the write of {@code kind} to {@code key} stamped {@code stamp}, whose leaf is {@code leaf}. */
    void proven(Key key, WriteStamp stamp, Write.Kind kind, byte[] leaf, byte[] proof);

    /** The chain of signed writes ({@code proofs[i]} of {@code writes[i]}) that proves the base of {@code key} stamped {@code baseStamp}. */
    void chained(Key key, WriteStamp baseStamp, List<Write> writes, List<byte[]> proofs);
}
