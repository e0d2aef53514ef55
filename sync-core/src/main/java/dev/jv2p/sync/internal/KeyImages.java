package dev.jv2p.sync.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** A store's keys copied for a snapshot ({@link KeyImage}), and put back from one. */
final class KeyImages {
    private KeyImages() {}

    /** Each log's history with its hashes, in the order of {@code logs}: one copy per key, on the store's thread. */
    static List<KeyImage> of(Collection<KeyLog> logs) {
        List<KeyImage> out = new ArrayList<>(logs.size());
        for (KeyLog log : logs) {
            BucketDigest.EntryHash hash = log.fullEntryHash();
            out.add(new KeyImage(
                    log.key(), log.horizon(), log.base(), log.writes(), log.keyHash(), hash.high(), hash.low()));
        }
        return out;
    }

    /**
     * The log of {@code image}'s key, its state folded again from the history as the store
     * that kept it had folded it; the entry hash is not recomputed (the caller takes the kept one).
     */
    static KeyLog restore(KeyImage image, MergeRule rule, boolean foldDeltas) {
        KeyLog log = new KeyLog(image.key(), image.keyHash(), image.horizon());
        if (image.base() != null) {
            log.adoptUnder(image.base(), image.horizon(), rule);
        }
        for (Write w : image.writes()) {
            log.insert(w, rule, foldDeltas);
        }
        return log;
    }
}
