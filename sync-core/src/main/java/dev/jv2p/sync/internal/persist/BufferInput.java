package dev.jv2p.sync.internal.persist;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A {@link DataInput} over a buffer, refilled from a channel when it reads a file: what the log
 * and snapshots are read with. A {@code DataInputStream} reads each number byte by byte through
 * streams whose every call takes a lock, which made a snapshot of a million keys take seconds
 * to read; this takes numbers straight from the buffer, and checksums a file in large chunks.
 */
final class BufferInput implements DataInput {
    private static final int CHUNK = 1 << 20;

    /** Strings longer than this (in bytes) are not looked up among the recent ones. */
    private static final int RECENT_LENGTH = 256;

    private final Recent[] recent = new Recent[8];
    private int nextRecent;
    private final ReadableByteChannel source;
    private final CRC32C crc;
    private ByteBuffer buf;
    /** Bytes of the source not yet read into the buffer. */
    private long unread;

    private BufferInput(ByteBuffer buf, ReadableByteChannel source, long unread) {
        this.buf = buf;
        this.source = source;
        this.unread = unread;
        this.crc = source == null ? null : new CRC32C();
    }

    /** The bytes of {@code bytes} from its position to its limit. */
    static BufferInput of(ByteBuffer bytes) {
        return new BufferInput(bytes.slice(), null, 0);
    }

    /** The next {@code length} bytes of {@code source}, read in chunks whose CRC32C is kept ({@link #crc}). */
    static BufferInput of(ReadableByteChannel source, long length) {
        return new BufferInput(
                ByteBuffer.allocate((int) Math.min(CHUNK, length)).flip(), source, length);
    }

    /** The CRC32C of every byte read from the source so far. */
    int crc() {
        return (int) crc.getValue();
    }

    /** The bytes not read yet. */
    long remaining() {
        return buf.remaining() + unread;
    }

    /** Makes at least {@code n} bytes (at most the buffer's capacity) readable in the buffer. */
    private void need(int n) throws IOException {
        if (buf.remaining() >= n) {
            return;
        }
        if (buf.remaining() + unread < n) {
            throw new EOFException("the data ends " + (n - buf.remaining() - unread) + " bytes early");
        }
        buf.compact();
        while (buf.position() < n) {
            int start = buf.position();
            int want = (int) Math.min(buf.remaining(), unread);
            ByteBuffer into = buf.duplicate().limit(start + want);
            int read = source.read(into);
            if (read < 0) {
                throw new EOFException("the file ends " + unread + " bytes early");
            }
            crc.update(buf.duplicate().position(start).limit(start + read));
            buf.position(start + read);
            unread -= read;
        }
        buf.flip();
    }

    /** The next {@code n} bytes as a string of the characters U+0000 to U+00FF, one byte each. */
    String readLatin1(int n) throws IOException {
        if (n > buf.capacity() || !buf.hasArray()) {
            byte[] bytes = new byte[n];
            readFully(bytes);
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        need(n);
        String s = new String(buf.array(), buf.arrayOffset() + buf.position(), n, StandardCharsets.ISO_8859_1);
        buf.position(buf.position() + n);
        return s;
    }

    @Override
    public void readFully(byte[] b) throws IOException {
        readFully(b, 0, b.length);
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            need(1);
            int n = Math.min(len, buf.remaining());
            buf.get(b, off, n);
            off += n;
            len -= n;
        }
    }

    @Override
    public int skipBytes(int n) throws IOException {
        int skipped = 0;
        while (skipped < n && remaining() > 0) {
            need(1);
            int step = Math.min(n - skipped, buf.remaining());
            buf.position(buf.position() + step);
            skipped += step;
        }
        return skipped;
    }

    @Override
    public boolean readBoolean() throws IOException {
        return readByte() != 0;
    }

    @Override
    public byte readByte() throws IOException {
        need(1);
        return buf.get();
    }

    @Override
    public int readUnsignedByte() throws IOException {
        return readByte() & 0xff;
    }

    @Override
    public short readShort() throws IOException {
        need(2);
        return buf.getShort();
    }

    @Override
    public int readUnsignedShort() throws IOException {
        return readShort() & 0xffff;
    }

    @Override
    public char readChar() throws IOException {
        need(2);
        return buf.getChar();
    }

    @Override
    public int readInt() throws IOException {
        need(4);
        return buf.getInt();
    }

    @Override
    public long readLong() throws IOException {
        need(8);
        return buf.getLong();
    }

    @Override
    public float readFloat() throws IOException {
        return Float.intBitsToFloat(readInt());
    }

    @Override
    public double readDouble() throws IOException {
        return Double.longBitsToDouble(readLong());
    }

    /** Not part of the format. */
    @Override
    public String readLine() {
        throw new UnsupportedOperationException("the data files hold no lines");
    }

    /**
     * {@inheritDoc} The few strings read again and again (the owners in write stamps) come back
     * as one object each, not one per stamp: a store restored holds a million stamps.
     */
    @Override
    public String readUTF() throws IOException {
        need(2);
        int length = Short.toUnsignedInt(buf.getShort(buf.position()));
        if (length > RECENT_LENGTH || remaining() < 2 + length || !buf.hasArray()) {
            return DataInputStream.readUTF(this);
        }
        need(2 + length);
        int at = buf.arrayOffset() + buf.position() + 2;
        for (Recent r : recent) {
            if (r != null && Arrays.equals(buf.array(), at, at + length, r.utf, 0, r.utf.length)) {
                buf.position(buf.position() + 2 + length);
                return r.string;
            }
        }
        byte[] utf = Arrays.copyOfRange(buf.array(), at, at + length);
        String s = DataInputStream.readUTF(this);
        recent[nextRecent] = new Recent(utf, s);
        nextRecent = (nextRecent + 1) % recent.length;
        return s;
    }

    /** A string as read, and its modified UTF-8 form. */
    private record Recent(byte[] utf, String string) {}
}
