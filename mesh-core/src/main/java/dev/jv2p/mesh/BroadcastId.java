package dev.jv2p.mesh;

/**
 * A broadcast's id as the broadcast tree announces it: the first 16 bytes of its checksum,
 * the part {@link SeenCache} keeps as well. Big-endian longs assembled byte by byte, not through
 * a byte array view {@code VarHandle}: a receiver runs this several times per broadcast, and in
 * a fresh JVM, before the JIT has compiled it, a {@code VarHandle} access costs about ten times
 * the plain loop (1–1.6 µs a call against 0.1–0.2 µs in a throw-away probe, 2,000 calls in a
 * fresh JVM; 150 µs for the first).
 */
record BroadcastId(long hi, long lo) {
    static final int LENGTH = 16;

    /** The id of the block or checksum that starts at {@code offset} of {@code bytes}. */
    static BroadcastId of(byte[] bytes, int offset) {
        return new BroadcastId(readLong(bytes, offset), readLong(bytes, offset + 8));
    }

    /** Writes the id's 16 bytes at {@code offset} of {@code into}. */
    void writeTo(byte[] into, int offset) {
        writeLong(into, offset, hi);
        writeLong(into, offset + 8, lo);
    }

    private static long readLong(byte[] bytes, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (bytes[offset + i] & 0xFF);
        }
        return v;
    }

    private static void writeLong(byte[] into, int offset, long v) {
        for (int i = 7; i >= 0; i--) {
            into[offset + i] = (byte) v;
            v >>>= 8;
        }
    }

    /*
     * equals and hashCode written out: a record's own are bootstrapped through invokedynamic on
     * their first call, which spins classes (tens of milliseconds in a fresh JVM, seen on a
     * joiner's event loop in the three-node harness, on its first graft-table lookup).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof BroadcastId other && other.hi == hi && other.lo == lo;
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(hi) + Long.hashCode(lo);
    }

    byte[] bytes() {
        byte[] b = new byte[LENGTH];
        writeTo(b, 0);
        return b;
    }
}
