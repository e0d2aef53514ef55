package dev.jv2p.sync.internal;

import dev.jv2p.sync.Key;
import java.util.List;

/**
 * Told, when a key's history is compacted, which writes its new base took: the writes the
 * merge rule let through, in merge order, from the old base. A mesh that authenticates
 * owners keeps from them the signed writes that establish a base folded from deltas.
 */
public interface Folding {
    /**
     * @param from the base before ({@code null}: none)
     * @param taken the writes folded in that the rule took, in merge order
     * @param to the new base
     */
    void folded(Key key, Entry from, List<Write> taken, Entry to);
}
