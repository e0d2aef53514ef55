package dev.jv2p.sync.internal;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A key's place in a narrowed comparison: the first 8 bytes of SHA-256 of the key, and its entry hash. */
public record KeySummary(long keyHash, BucketDigest.EntryHash entryHash) {
    /** Checks the entry hash is given. */
    public KeySummary {
        Objects.requireNonNull(entryHash, "entryHash");
    }

    /**
     * The key hashes on which {@code mine} and {@code theirs} (each as
     * {@link SyncStore#summariesIn} returns them) differ: held by one side only, or with other
     * entry hashes.
     */
    public static Set<Long> differing(List<KeySummary> mine, List<KeySummary> theirs) {
        return StoreDigests.differingKeyHashes(mine, theirs);
    }
}
