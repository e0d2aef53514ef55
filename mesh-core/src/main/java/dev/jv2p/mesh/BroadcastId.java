package dev.jv2p.mesh;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A broadcast's id as the broadcast tree announces it: the first 16 bytes of its checksum,
 * the part {@link SeenCache} keeps as well.
 */
record BroadcastId(long hi, long lo) {
    static final int LENGTH = 16;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** The id of the block or checksum that starts at {@code offset} of {@code bytes}. */
    static BroadcastId of(byte[] bytes, int offset) {
        return new BroadcastId((long) LONG.get(bytes, offset), (long) LONG.get(bytes, offset + 8));
    }

    /** Writes the id's 16 bytes at {@code offset} of {@code into}. */
    void writeTo(byte[] into, int offset) {
        LONG.set(into, offset, hi);
        LONG.set(into, offset + 8, lo);
    }

    byte[] bytes() {
        byte[] b = new byte[LENGTH];
        writeTo(b, 0);
        return b;
    }
}
