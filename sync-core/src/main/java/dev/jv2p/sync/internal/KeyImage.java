package dev.jv2p.sync.internal;

import dev.jv2p.sync.Key;
import java.util.List;
import java.util.Objects;

/**
 * One key as a snapshot keeps it: its history ({@code horizon}, {@code base}, {@code writes}, as
 * in a {@link KeyHistory}), and the hashes the store's digests hold for it ({@code entryHashHigh}
 * and {@code entryHashLow} both 0 while the key has no state), so that a restart puts them back
 * instead of hashing every key again. A snapshot is written and read by the same code, under
 * one on-disk format version: a change to either hash's definition is a new version. Made by
 * the store ({@link SyncStore#images}) or read from a snapshot, whose checksum vouches for it;
 * immutable.
 */
public record KeyImage(
        Key key, long horizon, Entry base, List<Write> writes, long keyHash, long entryHashHigh, long entryHashLow) {
    /** Checks that key and writes are given. */
    public KeyImage {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(writes, "writes");
    }
}
