package dev.jv2p.sync.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** A store's keys copied for a snapshot ({@link KeyImage}), and put back from one. */
final class KeyImages {
    private KeyImages() {}

    /** Each log's history with its hashes, in the order of {@code logs}. */
    static List<KeyImage> of(Collection<KeyLog> logs) {
        List<KeyImage> out = new ArrayList<>(logs.size());
        for (KeyLog log : logs) {
            out.add(new KeyImage(StoreViews.history(log), log.keyHash(), log.fullEntryHash()));
        }
        return out;
    }

    /**
     * The log of {@code image}'s key, its state folded again from the history as the store
     * that kept it had folded it; the entry hash is not recomputed (the caller takes the kept one).
     */
    static KeyLog restore(KeyImage image, MergeRule rule, boolean foldDeltas) {
        KeyHistory h = image.history();
        KeyLog log = new KeyLog(h.key(), image.keyHash(), h.horizon());
        if (h.base() != null) {
            log.adoptUnder(h.base(), h.horizon(), rule);
        }
        h.writes().forEach(w -> log.insert(w, rule, foldDeltas));
        return log;
    }
}
