package dev.jv2p.sync.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * The anti-entropy digest of a store that values chosen by an attacker cannot forge: for each
 * of the {@value StoreDigest#BUCKETS} buckets, the first {@value #HASH_BYTES} bytes of SHA-256
 * over the bucket's entry hashes, sorted. An entry hash is the first {@value #HASH_BYTES} bytes
 * of SHA-256 over the key, the stamp and the canonical value (tombstones included), so two
 * stores digest a bucket equally only if they hold the same entries there, unless someone
 * finds a collision of 128-bit truncated SHA-256 (about 2^64 work).
 *
 * <p>It replaces {@link StoreDigest}, whose buckets XOR 64-bit hashes: XOR is linear, so from
 * some 65 candidate values one can pick, by Gaussian elimination, a set whose hashes cancel, and
 * two different stores then digest alike. Sorting makes the construction independent of the
 * order writes arrived in; {@link SyncStore} recomputes only the buckets that changed since the
 * last digest. Immutable.
 */
public final class BucketDigest {
    /** Bytes kept of each SHA-256: 128 bits, so collisions cost about 2^64 hash evaluations. */
    public static final int HASH_BYTES = 16;
    /** The hash of a bucket holding no entry. */
    static final byte[] EMPTY = hashOf(new EntryHash[0], 0);

    /** The hash of a bucket that holds no entry. */
    public static byte[] emptyBucketHash() {
        return EMPTY.clone();
    }

    private final byte[][] buckets;

    private BucketDigest(byte[][] buckets) {
        this.buckets = buckets;
    }

    /** A digest received from a peer: one {@value #HASH_BYTES}-byte hash per bucket. */
    public static BucketDigest of(List<byte[]> buckets) {
        if (buckets.size() != StoreDigest.BUCKETS) {
            throw new IllegalArgumentException(
                    "a digest has " + StoreDigest.BUCKETS + " buckets, not " + buckets.size());
        }
        byte[][] copy = new byte[StoreDigest.BUCKETS][];
        for (int i = 0; i < copy.length; i++) {
            byte[] b = buckets.get(i);
            if (b == null || b.length != HASH_BYTES) {
                throw new IllegalArgumentException("bucket " + i + " of a digest must be " + HASH_BYTES + " bytes");
            }
            copy[i] = b.clone();
        }
        return new BucketDigest(copy);
    }

    static BucketDigest wrap(byte[][] buckets) {
        return new BucketDigest(buckets);
    }

    /** The hash of one bucket (a copy). */
    public byte[] bucket(int index) {
        return buckets[index].clone();
    }

    /** The indexes of the buckets in which this digest and {@code other} differ, ascending. */
    public int[] differingBuckets(BucketDigest other) {
        int[] out = new int[StoreDigest.BUCKETS];
        int n = 0;
        for (int i = 0; i < StoreDigest.BUCKETS; i++) {
            if (!Arrays.equals(buckets[i], other.buckets[i])) {
                out[n++] = i;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** One entry's 128-bit hash, ordered as unsigned numbers, high half first. */
    public record EntryHash(long high, long low) implements Comparable<EntryHash> {
        @Override
        public int compareTo(EntryHash o) {
            int c = Long.compareUnsigned(high, o.high);
            return c != 0 ? c : Long.compareUnsigned(low, o.low);
        }
    }

    /** The hash of a bucket holding entries with these hashes (sorted here, in place). */
    static byte[] hashOf(EntryHash[] entries, int n) {
        Arrays.sort(entries, 0, n);
        MessageDigest sha = sha256();
        byte[] sixteen = new byte[16];
        for (int i = 0; i < n; i++) {
            for (int b = 0; b < 8; b++) {
                sixteen[b] = (byte) (entries[i].high() >>> (56 - 8 * b));
                sixteen[8 + b] = (byte) (entries[i].low() >>> (56 - 8 * b));
            }
            sha.update(sixteen);
        }
        return Arrays.copyOf(sha.digest(), HASH_BYTES);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BucketDigest d && Arrays.deepEquals(buckets, d.buckets);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(buckets);
    }

    @Override
    public String toString() {
        int used = 0;
        for (byte[] b : buckets) {
            if (!Arrays.equals(b, EMPTY)) {
                used++;
            }
        }
        return "BucketDigest[" + used + " of " + StoreDigest.BUCKETS + " buckets in use]";
    }
}
