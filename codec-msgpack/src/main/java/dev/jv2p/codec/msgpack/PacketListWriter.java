package dev.jv2p.codec.msgpack;

import dev.jv2p.mesh.spi.Values;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/**
 * Writes a packet list for {@link MsgpackCodec#encode} by the rules of spec §6.4.
 *
 * <p>The result equals encoding {@code Values.normalizeList(packets)}. Most packet lists
 * are already in the value model, so they are checked in place and written directly;
 * only the others pay for the normalized copy. Each thread keeps one packer, so a call
 * allocates little beyond the result: msgpack-core's packer otherwise starts every buffer
 * at 8 KiB, far more than a typical 80-250 byte packet list.
 */
final class PacketListWriter {
    private static final MessagePack.PackerConfig CONFIG = new MessagePack.PackerConfig().withBufferSize(4096);
    private static final ThreadLocal<MessageBufferPacker> PACKERS = ThreadLocal.withInitial(CONFIG::newBufferPacker);
    /** The depth below the root up to which {@code Values.normalize} accepts nesting. */
    private static final int MAX_NORMALIZED_DEPTH = 64;

    private PacketListWriter() {}

    static byte[] write(List<?> packets) {
        List<?> model = isInModel(packets, 0) ? packets : Values.normalizeList(packets);
        MessageBufferPacker packer = PACKERS.get();
        try {
            writeValue(packer, model);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing msgpack to memory cannot fail", e);
        } finally {
            // Also after a failure, so that a half-written list never leaks into the next call.
            packer.clear();
        }
    }

    private static void writeValue(MessagePacker out, Object value) throws IOException {
        if (value instanceof String text) {
            // Through bytes rather than packString: the header is then always the smallest
            // (fixstr, str8, str16, str32) for the exact UTF-8 length.
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            out.packRawStringHeader(utf8.length);
            out.writePayload(utf8);
        } else if (value instanceof Long number) {
            out.packLong(number);
        } else if (value instanceof List<?> list) {
            out.packArrayHeader(list.size());
            for (Object element : list) {
                writeValue(out, element);
            }
        } else if (value instanceof byte[] bytes) {
            out.packBinaryHeader(bytes.length);
            out.writePayload(bytes);
        } else if (value == null) {
            out.packNil();
        } else if (value instanceof Map<?, ?> map) {
            out.packMapHeader(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                writeValue(out, entry.getKey());
                writeValue(out, entry.getValue());
            }
        } else if (value instanceof Boolean flag) {
            out.packBoolean(flag);
        } else if (value instanceof Double number) {
            out.packDouble(number);
        } else if (value instanceof BigInteger number) {
            // Only 2^63 .. 2^64-1 remain BigInteger in the value model: written as uint64.
            out.packBigInteger(number);
        } else {
            throw new IllegalStateException("not in the value model after normalization: " + value.getClass());
        }
    }

    /**
     * Whether {@code value} already is what {@code Values.normalize} would return (up to
     * copying), so it can be written as it is. Anything else, including every value normalize
     * would refuse, answers false and goes through normalize, which converts or explains.
     */
    private static boolean isInModel(Object value, int depth) {
        if (value == null
                || value instanceof String
                || value instanceof Long
                || value instanceof byte[]
                || value instanceof Boolean
                || value instanceof Double) {
            return true;
        }
        int height = Values.normalizedHeight(value);
        if (height >= 0) {
            return depth + height <= MAX_NORMALIZED_DEPTH; // normalize's own output: no walk
        }
        if (depth >= MAX_NORMALIZED_DEPTH) {
            return false;
        }
        if (value instanceof List<?> list) {
            for (Object element : list) {
                if (!isInModel(element, depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object key = entry.getKey();
                // normalize turns byte[] keys into strings, which may merge two keys.
                if (key instanceof byte[] || !isInModel(key, depth + 1) || !isInModel(entry.getValue(), depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof BigInteger number) {
            return number.signum() > 0 && number.bitLength() == 64;
        }
        return false;
    }
}
