package dev.jv2p.mesh;

import dev.jv2p.mesh.spi.Codec;
import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.spi.DecodeLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A small codec for mesh-core's own tests (the wire codecs live in modules that depend on
 * mesh-core): a tag byte, then the value. Carries nil, integers, text and lists, the types
 * of the mesh's own messages.
 */
final class TaggedTestCodec implements Codec {
    private static final int NIL = 0;
    private static final int INTEGER = 1;
    private static final int TEXT = 2;
    private static final int LIST = 3;

    @Override
    public String name() {
        return "tagged-test";
    }

    @Override
    public byte[] encode(List<?> packets) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out, packets);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(DataOutputStream out, Object value) throws IOException {
        if (value == null) {
            out.writeByte(NIL);
        } else if (value instanceof Long l) {
            out.writeByte(INTEGER);
            out.writeLong(l);
        } else if (value instanceof String s) {
            out.writeByte(TEXT);
            out.writeUTF(s);
        } else if (value instanceof List<?> list) {
            out.writeByte(LIST);
            out.writeInt(list.size());
            for (Object o : list) {
                write(out, o);
            }
        } else {
            throw new IllegalArgumentException(
                    "this test codec cannot carry " + value.getClass().getName());
        }
    }

    @Override
    public List<Object> decode(byte[] body, DecodeLimits limits) throws CodecException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        try {
            Object value = read(in);
            if (!(value instanceof List<?>) || in.available() > 0) {
                throw new CodecException("not exactly one list");
            }
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) value;
            return list;
        } catch (IOException e) {
            throw new CodecException("truncated: " + e);
        }
    }

    private static Object read(DataInputStream in) throws IOException, CodecException {
        int tag = in.readUnsignedByte();
        switch (tag) {
            case NIL:
                return null;
            case INTEGER:
                return in.readLong();
            case TEXT:
                return in.readUTF();
            case LIST:
                int n = in.readInt();
                if (n < 0 || n > in.available()) {
                    throw new CodecException("list length " + n + " past the body");
                }
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(read(in));
                }
                return list;
            default:
                throw new CodecException("unknown tag " + tag);
        }
    }
}
