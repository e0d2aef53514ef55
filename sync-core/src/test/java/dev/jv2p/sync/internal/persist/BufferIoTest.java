package dev.jv2p.sync.internal.persist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The log's own DataOutput and DataInput write and read exactly what DataOutputStream does. */
class BufferIoTest {
    private static final List<String> STRINGS =
            List.of("", "owner", "\u0000", "é", "\u07ff", "\u0800", "\ud800 unpaired", "日本語");

    private static void writeAll(DataOutput out) throws IOException {
        for (String s : STRINGS) {
            out.writeUTF(s);
            out.writeChars(s);
            out.writeInt(s.length());
        }
        out.writeLong(Long.MIN_VALUE);
        out.writeShort(-2);
        out.writeBoolean(true);
        out.write(new byte[3000], 0, 3000);
        out.writeDouble(1.5);
    }

    @Test
    void aRecordAndAChunkedFileHoldTheBytesDataOutputStreamWrites() throws IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        writeAll(new DataOutputStream(expected));

        BufferOutput record = new BufferOutput();
        writeAll(record);
        assertArrayEquals(expected.toByteArray(), Arrays.copyOf(record.array(), record.size()));

        ByteArrayOutputStream file = new ByteArrayOutputStream();
        BufferOutput chunks = new BufferOutput(Channels.newChannel(file));
        for (int i = 0; i < 400; i++) { // past one chunk of 1 MiB
            writeAll(chunks);
        }
        chunks.drain();
        byte[] many = file.toByteArray();
        assertEquals(400L * expected.size(), many.length);
        assertArrayEquals(expected.toByteArray(), Arrays.copyOfRange(many, 399 * expected.size(), many.length));
        assertEquals(WalFormat.crc(ByteBuffer.wrap(many)), chunks.crc());
    }

    @Test
    void whatIsWrittenReadsBackAndRepeatedStringsAreOneObject() throws IOException {
        BufferOutput record = new BufferOutput();
        writeAll(record);
        writeAll(record);
        BufferInput in = BufferInput.of(ByteBuffer.wrap(record.array(), 0, record.size()));
        String first = null;
        for (int round = 0; round < 2; round++) {
            for (String s : STRINGS) {
                String read = in.readUTF();
                assertEquals(s, read);
                if (s.equals("owner")) {
                    if (first == null) {
                        first = read;
                    } else {
                        assertSame(first, read, "a string read again is the same object");
                    }
                }
                char[] chars = new char[s.length()];
                for (int i = 0; i < chars.length; i++) {
                    chars[i] = in.readChar();
                }
                assertEquals(s, new String(chars));
                assertEquals(s.length(), in.readInt());
            }
            assertEquals(Long.MIN_VALUE, in.readLong());
            assertEquals(-2, in.readShort());
            assertEquals(true, in.readBoolean());
            in.readFully(new byte[3000]);
            assertEquals(1.5, in.readDouble());
        }
        assertEquals(0, in.remaining());
    }
}
