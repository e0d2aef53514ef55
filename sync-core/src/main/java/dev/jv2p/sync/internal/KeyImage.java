package dev.jv2p.sync.internal;

import java.util.Objects;

/**
 * One key as a snapshot keeps it: its history, and the hashes the store's digests hold for it
 * ({@code entryHash} both halves 0 while the key has no state), so that a restart puts them
 * back instead of hashing every key again. A snapshot is written and read by the same code,
 * under one on-disk format version: a change to either hash's definition is a new version.
 * Immutable.
 */
public record KeyImage(KeyHistory history, long keyHash, BucketDigest.EntryHash entryHash) {
    /** Checks that history and entry hash are given. */
    public KeyImage {
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(entryHash, "entryHash");
    }
}
