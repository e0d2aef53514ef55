package dev.jv2p.bench.durable;

import dev.jv2p.sync.Durability;
import dev.jv2p.sync.internal.ProofJournal;
import dev.jv2p.sync.internal.SyncStore;
import dev.jv2p.sync.internal.SyncStoreConfig;
import dev.jv2p.sync.internal.persist.DataDirectory;
import dev.jv2p.sync.internal.persist.WalEngine;
import java.nio.file.Path;
import java.util.Map;

/**
 * The parts of a restart the node's start hides, measured on the engine alone in a fresh JVM:
 * loading snapshot and log into a store (which computes every key's entry hash on the way),
 * then the first bucket digest, which the first anti-entropy round computes over every key.
 */
final class Phases {
    private Phases() {}

    /** {@code load} and {@code digest}, in nanoseconds. */
    static Map<String, Long> measure(Path dir) {
        SyncStore store = new SyncStore(SyncStoreConfig.builder().build());
        long start = System.nanoTime();
        WalEngine engine = new WalEngine(DataDirectory.open(dir), Durability.OS, WalEngine.DEFAULT_SNAPSHOT_BYTES);
        engine.load(store, ProofJournal.NONE, out -> {});
        long loaded = System.nanoTime();
        store.bucketDigest();
        long digested = System.nanoTime();
        engine.close();
        return Map.of("load", loaded - start, "digest", digested - loaded);
    }
}
