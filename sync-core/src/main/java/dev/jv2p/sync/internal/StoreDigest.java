package dev.jv2p.sync.internal;

import dev.jv2p.sync.Key;
import java.io.DataOutput;
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
        HashInput out = HASH_INPUT.get();
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
        sha.update(out.buffer, 0, out.length);
        ByteBuffer digest = ByteBuffer.wrap(sha.digest());
        return new BucketDigest.EntryHash(digest.getLong(), digest.getLong());
    }

    /**
     * The bytes of one entry on their way to the hash, as {@link java.io.DataOutputStream}
     * would write them: every applied write hashes its new state, so each thread reuses one
     * buffer, filled without the stream's per-byte calls and locks.
     */
    private static final ThreadLocal<HashInput> HASH_INPUT = ThreadLocal.withInitial(HashInput::new);

    private static final class HashInput implements DataOutput {
        private static final int KEEP = 1 << 16;
        byte[] buffer = new byte[512];
        int length;

        void reset() {
            if (buffer.length > KEEP) {
                buffer = new byte[512]; // one huge value must not pin its buffer for good
            }
            if (chars.length > KEEP / 2) {
                chars = new char[256];
            }
            length = 0;
        }

        private void ensure(int more) {
            if (length + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
            }
        }

        @Override
        public void write(int b) {
            ensure(1);
            buffer[length++] = (byte) b;
        }

        @Override
        public void write(byte[] b) {
            write(b, 0, b.length);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buffer, length, len);
            length += len;
        }

        @Override
        public void writeBoolean(boolean v) {
            write(v ? 1 : 0);
        }

        @Override
        public void writeByte(int v) {
            write(v);
        }

        @Override
        public void writeShort(int v) {
            ensure(2);
            buffer[length++] = (byte) (v >>> 8);
            buffer[length++] = (byte) v;
        }

        @Override
        public void writeChar(int v) {
            writeShort(v);
        }

        @Override
        public void writeInt(int v) {
            ensure(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                buffer[length++] = (byte) (v >>> shift);
            }
        }

        @Override
        public void writeLong(long v) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buffer[length++] = (byte) (v >>> shift);
            }
        }

        @Override
        public void writeFloat(float v) {
            writeInt(Float.floatToIntBits(v));
        }

        @Override
        public void writeDouble(double v) {
            writeLong(Double.doubleToLongBits(v));
        }

        @Override
        public void writeBytes(String s) {
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                buffer[length++] = (byte) s.charAt(i);
            }
        }

        @Override
        public void writeChars(String s) {
            int n = s.length();
            ensure(2 * n);
            if (chars.length < n) {
                chars = new char[Math.max(n, 2 * chars.length)];
            }
            s.getChars(0, n, chars, 0); // one bulk copy, then a plain loop: no per-char index checks
            byte[] b = buffer;
            int at = length;
            for (int i = 0; i < n; i++) {
                char c = chars[i];
                b[at++] = (byte) (c >>> 8);
                b[at++] = (byte) c;
            }
            length = at;
        }

        /**
         * The owner last hashed and its bytes as {@link #writeChars} writes them: the entries
         * hashed one after another (a join transfer, a bulk write) mostly share their owner,
         * though not the string object, as each is decoded apart.
         */
        private String owner = "";

        private static final int OWNER_CACHED = 256;

        private byte[] ownerBytes = new byte[0];

        void writeOwner(String s) {
            if (s.length() > OWNER_CACHED) {
                writeChars(s);
            } else if (!s.equals(owner)) {
                int start = length;
                writeChars(s);
                ownerBytes = Arrays.copyOfRange(buffer, start, length);
                owner = s;
            } else {
                write(ownerBytes);
            }
        }

        /** Scratch for {@link #writeChars}; shrinks back with the buffer (see {@link #KEEP}). */
        private char[] chars = new char[256];

        @Override
        public void writeUTF(String s) throws IOException {
            // Not used by the canonical form; written as DataOutputStream would write it.
            new java.io.DataOutputStream(new java.io.OutputStream() {
                        @Override
                        public void write(int b) {
                            HashInput.this.write(b);
                        }
                    })
                    .writeUTF(s);
        }
    }

    private static long first8(byte[] sha) {
        return ByteBuffer.wrap(sha).getLong();
    }
}
