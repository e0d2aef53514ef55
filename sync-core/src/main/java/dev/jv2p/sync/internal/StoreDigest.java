package dev.jv2p.sync.internal;

import dev.jv2p.sync.Key;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A cheap summary of a store for anti-entropy: {@value #BUCKETS} buckets, each the XOR of a
 * 64-bit hash of every entry (key, stamp, value; tombstones included) whose key falls in it.
 *
 * <p>Two stores holding the same entries have equal digests, whatever order their writes
 * arrived in. Two nodes exchange digests, then the entries or histories of the buckets that
 * differ ({@link SyncStore#historiesIn}). A key's bucket is the first byte of the SHA-256 of
 * its bytes, and an entry's hash the first eight bytes of a SHA-256 over the key, the stamp
 * and the {@linkplain Canonical canonical} value, so every jv2p node computes the same digest.
 * Immutable.
 */
public final class StoreDigest {
    /** Fixed, so that digests of any two nodes line up bucket by bucket. */
    public static final int BUCKETS = 256;

    /**
     * Every write hashes its key and its new state, and looking a provider up costs more than
     * hashing a short key, so each thread keeps its instance.
     */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    });

    private final long[] buckets;

    private StoreDigest(long[] buckets) {
        this.buckets = buckets;
    }

    /** A digest received from a peer. */
    public static StoreDigest of(long[] buckets) {
        if (buckets.length != BUCKETS) {
            throw new IllegalArgumentException("a digest has " + BUCKETS + " buckets, not " + buckets.length);
        }
        return new StoreDigest(buckets.clone());
    }

    /** The bucket {@code key} falls in, 0 to {@value #BUCKETS} - 1. */
    public static int bucketOf(Key key) {
        return bucketOf(keyHash(key));
    }

    static int bucketOf(long keyHash) {
        return (int) (keyHash >>> 56);
    }

    /** The hash of one bucket. */
    public long bucket(int index) {
        return buckets[index];
    }

    /** A copy of every bucket hash, in bucket order. */
    public long[] toArray() {
        return buckets.clone();
    }

    /** The indexes of the buckets in which this digest and {@code other} differ, ascending. */
    public int[] differingBuckets(StoreDigest other) {
        int[] out = new int[BUCKETS];
        int n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (buckets[i] != other.buckets[i]) {
                out[n++] = i;
            }
        }
        return Arrays.copyOf(out, n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoreDigest d && Arrays.equals(buckets, d.buckets);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(buckets);
    }

    @Override
    public String toString() {
        int used = 0;
        for (long b : buckets) {
            if (b != 0) {
                used++;
            }
        }
        return "StoreDigest[" + used + " of " + BUCKETS + " buckets in use]";
    }

    /** The first eight bytes of SHA-256 of the key: stable across nodes, unlike {@link Key#hashCode}. */
    static long keyHash(Key key) {
        return first8(SHA256.get().digest(key.bytes()));
    }

    /**
     * The first 16 bytes of SHA-256 over the key, the stamp and the canonical value: the high
     * half is the entry's share of this XOR digest, both halves its share of a {@link BucketDigest}.
     */
    static BucketDigest.EntryHash entryHash(Entry entry) {
        ByteSink out = HASH_INPUT.get();
        out.reset();
        out.writeInt(entry.key().length());
        out.write(entry.key().bytes());
        out.writeLong(entry.stamp().timestamp());
        out.writeInt(entry.stamp().owner().length());
        out.writeOwner(entry.stamp().owner());
        out.writeLong(entry.stamp().seq());
        try {
            Canonical.write(out, entry.value());
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory buffer", e);
        }
        MessageDigest sha = SHA256.get();
        sha.update(out.buffer(), 0, out.length());
        ByteBuffer digest = ByteBuffer.wrap(sha.digest());
        return new BucketDigest.EntryHash(digest.getLong(), digest.getLong());
    }

    /** Each thread's buffer for the bytes of one entry on their way to the hash (see {@link ByteSink}). */
    private static final ThreadLocal<ByteSink> HASH_INPUT = ThreadLocal.withInitial(ByteSink::new);

    private static long first8(byte[] sha) {
        return ByteBuffer.wrap(sha).getLong();
    }
}
