package dev.jv2p.sync.internal.persist;

import java.io.DataOutput;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.zip.CRC32C;

/**
 * A {@link DataOutput} into a buffer: a growing one for a log record, or, for a snapshot, a
 * chunk drained into a file (checksummed) whenever it is full. A {@code DataOutputStream}
 * writes a string two calls per character into a stream that takes a lock per call, which was
 * half the cost of a durable write (JFR); this puts characters straight into the buffer.
 */
final class BufferOutput implements DataOutput {
    private static final int CHUNK = 1 << 20;

    private final WritableByteChannel sink;
    private final CRC32C crc;
    private ByteBuffer buf;
    private String lastUtf;
    private byte[] lastEncoded;

    /** A buffer that grows to hold everything written (one record). */
    BufferOutput() {
        this.buf = ByteBuffer.allocate(256);
        this.sink = null;
        this.crc = null;
    }

    /** Bytes on their way into {@code sink}, written in chunks whose CRC32C is kept ({@link #crc}). */
    BufferOutput(WritableByteChannel sink) {
        this.buf = ByteBuffer.allocate(CHUNK);
        this.sink = sink;
        this.crc = new CRC32C();
    }

    /** The array holding the {@link #size} bytes written since the last {@link #reset}; no sink. */
    byte[] array() {
        return buf.array();
    }

    int size() {
        return buf.position();
    }

    void reset() {
        buf.clear();
    }

    /** The CRC32C of every byte drained into the sink. */
    int crc() {
        return (int) crc.getValue();
    }

    /** Writes what the buffer holds into the sink. */
    void drain() throws IOException {
        buf.flip();
        crc.update(buf.duplicate());
        while (buf.hasRemaining()) {
            sink.write(buf);
        }
        buf.clear();
    }

    /** Makes room for {@code n} bytes ({@code n} at most the chunk's size). */
    private void room(int n) throws IOException {
        if (buf.remaining() >= n) {
            return;
        }
        if (sink != null) {
            drain();
            return;
        }
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n));
        buf.flip();
        buf = bigger.put(buf);
    }

    @Override
    public void write(int b) throws IOException {
        room(1);
        buf.put((byte) b);
    }

    @Override
    public void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            room(sink == null ? len : 1);
            int n = Math.min(len, buf.remaining());
            buf.put(b, off, n);
            off += n;
            len -= n;
        }
    }

    @Override
    public void writeBoolean(boolean v) throws IOException {
        write(v ? 1 : 0);
    }

    @Override
    public void writeByte(int v) throws IOException {
        write(v);
    }

    @Override
    public void writeShort(int v) throws IOException {
        room(2);
        buf.putShort((short) v);
    }

    @Override
    public void writeChar(int v) throws IOException {
        room(2);
        buf.putChar((char) v);
    }

    @Override
    public void writeInt(int v) throws IOException {
        room(4);
        buf.putInt(v);
    }

    @Override
    public void writeLong(long v) throws IOException {
        room(8);
        buf.putLong(v);
    }

    @Override
    public void writeFloat(float v) throws IOException {
        writeInt(Float.floatToIntBits(v));
    }

    @Override
    public void writeDouble(double v) throws IOException {
        writeLong(Double.doubleToLongBits(v));
    }

    /**
     * Writes {@code tag}, the length and one byte per character of {@code s} in one pass, if
     * every character is U+0000 to U+00FF and the whole fits in a chunk; otherwise writes
     * nothing and returns false.
     */
    boolean writeLatin1(int tag, String s) throws IOException {
        int n = s.length();
        if (n + 5 > CHUNK) {
            return false;
        }
        room(n + 5);
        int start = buf.position();
        buf.put((byte) tag).putInt(n);
        byte[] a = buf.array();
        int at = buf.arrayOffset() + buf.position();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c > 0xff) {
                buf.position(start);
                return false;
            }
            a[at++] = (byte) c;
        }
        buf.position(at - buf.arrayOffset());
        return true;
    }

    @Override
    public void writeBytes(String s) throws IOException {
        int i = 0;
        while (i < s.length()) {
            room(1);
            int n = Math.min(s.length() - i, buf.remaining());
            byte[] a = buf.array();
            int at = buf.arrayOffset() + buf.position();
            for (int end = i + n; i < end; i++) {
                a[at++] = (byte) s.charAt(i);
            }
            buf.position(at - buf.arrayOffset());
        }
    }

    @Override
    public void writeChars(String s) throws IOException {
        int i = 0;
        while (i < s.length()) {
            room(2);
            int n = Math.min(s.length() - i, buf.remaining() / 2);
            for (int end = i + n; i < end; i++) {
                buf.putChar(s.charAt(i));
            }
        }
    }

    /**
     * {@inheritDoc} In modified UTF-8, as {@code DataOutputStream} writes it. The string written
     * last is kept encoded: the owner of every write stamp is most often the same string.
     */
    @Override
    public void writeUTF(String s) throws IOException {
        if (s != lastUtf) {
            lastUtf = null;
            lastEncoded = encodeUtf(s);
            lastUtf = s;
        }
        write(lastEncoded);
    }

    private static byte[] encodeUtf(String s) throws IOException {
        BufferOutput out = new BufferOutput();
        out.writeUtfOnce(s);
        return java.util.Arrays.copyOf(out.array(), out.size());
    }

    private void writeUtfOnce(String s) throws IOException {
        int length = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            length += c >= 1 && c <= 0x7f ? 1 : c <= 0x7ff ? 2 : 3;
        }
        if (length > 0xffff) {
            throw new UTFDataFormatException("a string of " + length + " bytes in modified UTF-8 is too long");
        }
        writeShort(length);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 1 && c <= 0x7f) {
                write(c);
            } else if (c <= 0x7ff) {
                room(2);
                buf.put((byte) (0xc0 | (c >> 6))).put((byte) (0x80 | (c & 0x3f)));
            } else {
                room(3);
                buf.put((byte) (0xe0 | (c >> 12)))
                        .put((byte) (0x80 | ((c >> 6) & 0x3f)))
                        .put((byte) (0x80 | (c & 0x3f)));
            }
        }
    }
}
