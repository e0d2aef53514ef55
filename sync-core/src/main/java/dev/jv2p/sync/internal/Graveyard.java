package dev.jv2p.sync.internal;

import java.util.Arrays;

/**
 * What remains of collected tombstones: for each of {@value #SLOTS} slots (by key hash), the
 * newest lease end (last second in which it refused other owners) of a tombstone collected for
 * a key in that slot. Fixed size, so deleting many keys costs no memory once their tombstones
 * are collected.
 *
 * <p>A key with no history here is treated as if its history started at the slot's
 * {@linkplain #horizonFor horizon}: writes stamped at or before the watermark are refused,
 * because they might be older than a delete this store has forgotten. Keys sharing a slot with
 * a collected tombstone pay for it: their writes older than the watermark are refused too.
 *
 * <p>It also keeps, apart, the watermarks of the tombstones this store collected itself (not
 * merged from peers): a peer's compacted base of a key this store holds nothing of is judged
 * against those only. Against the merged ones, a joiner would refuse every old live key that
 * shares a slot with any key deleted later anywhere — with many deletes, most old keys — and
 * anti-entropy would re-send them every round; an honest peer in contact within the retention
 * holds no key that a collected delete removed.
 */
final class Graveyard {
    static final int SLOTS = 4096;
    /** Timestamps are never negative, so -1 means "nothing collected" and needs no special case. */
    private static final long NONE = -1;

    private final long[] watermarks = new long[SLOTS];
    private final long[] collectedHere = new long[SLOTS];

    Graveyard() {
        Arrays.fill(watermarks, NONE);
        Arrays.fill(collectedHere, NONE);
    }

    static int slotOf(long keyHash) {
        return (int) (keyHash >>> 52);
    }

    void bury(long keyHash, long leaseEnd) {
        int slot = slotOf(keyHash);
        watermarks[slot] = Math.max(watermarks[slot], leaseEnd);
        collectedHere[slot] = Math.max(collectedHere[slot], leaseEnd);
    }

    /** The first timestamp a write to a key unknown here may carry. */
    long horizonFor(long keyHash) {
        return watermarks[slotOf(keyHash)] + 1;
    }

    /** {@link #horizonFor} counting only the tombstones this store collected itself. */
    long ownHorizonFor(long keyHash) {
        return collectedHere[slotOf(keyHash)] + 1;
    }

    long[][] state() {
        return new long[][] {watermarks.clone(), collectedHere.clone()};
    }

    void restore(long[][] state) {
        if (state.length != 2 || state[0].length != SLOTS || state[1].length != SLOTS) {
            throw new IllegalArgumentException("a graveyard state is two arrays of " + SLOTS + " watermarks");
        }
        System.arraycopy(state[0], 0, watermarks, 0, SLOTS);
        System.arraycopy(state[1], 0, collectedHere, 0, SLOTS);
    }

    long[] export() {
        return watermarks.clone();
    }

    /**
     * Takes the newer watermark of each slot, each first bounded by {@code limit}: raising a
     * watermark only ever refuses more old writes, so a peer's word is taken only up to the
     * point past which every write is too old to be merged exactly anyway.
     */
    void merge(long[] other, long limit) {
        if (other.length != SLOTS) {
            throw new IllegalArgumentException("a graveyard has " + SLOTS + " slots, not " + other.length);
        }
        for (int i = 0; i < SLOTS; i++) {
            watermarks[i] = Math.max(watermarks[i], Math.min(other[i], limit));
        }
    }
}
