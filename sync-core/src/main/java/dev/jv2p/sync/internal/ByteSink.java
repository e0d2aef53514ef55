package dev.jv2p.sync.internal;

import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Bytes on their way to a hash or into an array, as {@link java.io.DataOutputStream} would write
 * them, without the stream's per-byte calls and locks: every applied write hashes its new state
 * ({@link StoreDigest#entryHash}), every signed write its leaf ({@link WriteLeaf}), so each
 * thread reuses one sink for each, and {@link Canonical#encode} fills a fresh one. Not
 * thread-safe.
 */
final class ByteSink implements DataOutput {
    private static final int KEEP = 1 << 16;
    private byte[] buffer = new byte[512];
    private int length;

    /** The bytes written since the last {@link #reset}: {@code buffer()[0 .. length())}. */
    byte[] buffer() {
        return buffer;
    }

    int length() {
        return length;
    }

    /** A copy of the bytes written. */
    byte[] toByteArray() {
        return Arrays.copyOf(buffer, length);
    }

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
                        ByteSink.this.write(b);
                    }
                })
                .writeUTF(s);
    }
}
