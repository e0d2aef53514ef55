package dev.jv2p.codec.msgpack;

import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.spi.DecodeLimits;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * Reads one packet list from a whole body for {@link MsgpackCodec#decode}; one instance per
 * body, used by one thread.
 *
 * <p>Containers are tracked on an explicit stack rather than by recursion, so no input can
 * overflow the thread's stack whatever {@link DecodeLimits#maxDepth()} allows. Every size a
 * header announces is checked against the limits and against the bytes that are left before
 * anything of that size is allocated: each element takes at least one byte, so a header that
 * claims more elements (or payload bytes) than remain is truncated input, found at once.
 */
final class PacketListReader {
    /** Returned by {@link #readValue()} for a non-empty container, now open on the stack. */
    private static final Object OPENED = new Object();
    /**
     * Most entries a container is sized for up front. A header may claim up to one entry per
     * remaining byte; sizing beyond this from the header alone would let a body of n bytes
     * make the decoder allocate several times n before a single entry is read.
     */
    private static final int PRESIZE_LIMIT = 4096;

    private final byte[] body;
    private final DecodeLimits limits;
    private final MessageUnpacker in;

    /** Values accounted for so far: the root plus every element announced by a header. */
    private long values;
    /** Open containers, innermost at {@code depth - 1}. */
    private Object[] containers = new Object[8];
    /** Elements still to read into each open container; a map counts keys and values. */
    private int[] pending = new int[8];
    /** A map's key that waits for its value. */
    private Object[] keys = new Object[8];

    private int depth;

    PacketListReader(byte[] body, DecodeLimits limits) {
        this.body = body;
        this.limits = limits;
        this.in = MessagePack.DEFAULT_UNPACKER_CONFIG.newUnpacker(body);
    }

    List<Object> read() throws CodecException {
        if (body.length == 0) {
            throw new CodecException("empty body: expected one msgpack array (the packet list)");
        }
        try {
            MessageFormat first = in.getNextFormat();
            if (first == MessageFormat.NEVER_USED || first.getValueType() != ValueType.ARRAY) {
                throw new CodecException(
                        "the body is a msgpack " + describe(first) + ", not an array: a packet list must be an array");
            }
            values = 1;
            Object root = readValue();
            @SuppressWarnings("unchecked")
            List<Object> packets = (List<Object>) (root == OPENED ? readUntilRootCloses() : root);
            if (in.hasNext()) {
                long end = in.getTotalReadBytes();
                throw new CodecException("trailing bytes after the packet list: it ends at offset " + end + " of a "
                        + body.length + "-byte body");
            }
            return packets;
        } catch (MessageInsufficientBufferException e) {
            // msgpack-core gives this exception no message of its own.
            throw new CodecException(
                    "truncated body: a value starting before offset " + in.getTotalReadBytes()
                            + " runs past the end of the " + body.length + "-byte body",
                    e);
        } catch (MessagePackException e) {
            throw new CodecException(
                    "malformed msgpack near offset " + in.getTotalReadBytes() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            // Declared by MessageUnpacker, but an in-memory input never fails to read.
            throw new CodecException("cannot read the body: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Not reachable by design; if it happens, the peer still only sent bad bytes, and
            // the node must not crash because of them.
            throw new CodecException(
                    "internal msgpack decoder error near offset " + in.getTotalReadBytes() + " (a jv2p bug): " + e, e);
        }
    }

    private Object readUntilRootCloses() throws IOException, CodecException {
        while (true) {
            int top = depth - 1;
            if (pending[top] == 0) {
                Object finished = containers[top];
                containers[top] = null;
                keys[top] = null;
                depth--;
                if (depth == 0) {
                    return finished;
                }
                // Attached only now, when complete: a container used as a map key must not
                // change after it went into the map.
                add(finished);
                continue;
            }
            Object value = readValue();
            if (value != OPENED) {
                add(value);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void add(Object value) {
        int top = depth - 1;
        Object container = containers[top];
        if (container instanceof List) {
            ((List<Object>) container).add(value);
        } else if (pending[top] % 2 == 0) {
            keys[top] = key(value);
        } else {
            ((Map<Object, Object>) container).put(keys[top], value);
            keys[top] = null;
        }
        pending[top]--;
    }

    /** Reads a scalar, or opens a container and returns {@link #OPENED} if it has elements. */
    private Object readValue() throws IOException, CodecException {
        MessageFormat format = in.getNextFormat();
        if (format == MessageFormat.NEVER_USED) {
            throw new CodecException("byte 0xc1 at offset " + in.getTotalReadBytes() + " is reserved by msgpack");
        }
        switch (format.getValueType()) {
            case NIL:
                in.unpackNil();
                return null;
            case BOOLEAN:
                return in.unpackBoolean();
            case INTEGER:
                return format == MessageFormat.UINT64 ? uint64(in.unpackBigInteger()) : (Object) in.unpackLong();
            case FLOAT:
                // float32 too: js2p reads every number as a double.
                return in.unpackDouble();
            case STRING: {
                int length = in.unpackRawStringHeader();
                int at = payloadStart(length, "str");
                String text = Utf8.decode(body, at, length);
                in.readPayloadAsReference(length);
                return text;
            }
            case BINARY: {
                int length = in.unpackBinaryHeader();
                payloadStart(length, "bin");
                return in.readPayload(length);
            }
            case ARRAY: {
                long at = in.getTotalReadBytes();
                int size = in.unpackArrayHeader();
                checkContainer(size, size, at, "array");
                if (size == 0) {
                    return new ArrayList<>(0);
                }
                push(new ArrayList<>(Math.min(size, PRESIZE_LIMIT)), size);
                return OPENED;
            }
            case MAP: {
                long at = in.getTotalReadBytes();
                int size = in.unpackMapHeader();
                checkContainer(size, 2L * size, at, "map");
                if (size == 0) {
                    return new LinkedHashMap<>(0);
                }
                push(new LinkedHashMap<>(capacityFor(Math.min(size, PRESIZE_LIMIT))), 2 * size);
                return OPENED;
            }
            case EXTENSION:
                throw new CodecException("ext type at offset " + in.getTotalReadBytes()
                        + ": p2p.today packets carry no msgpack extension types");
            default:
                throw new CodecException("unknown msgpack format " + format + " at offset " + in.getTotalReadBytes());
        }
    }

    /** Where the payload of a str or bin starts, once its length is known to fit the body. */
    private int payloadStart(int length, String what) throws CodecException {
        long at = in.getTotalReadBytes();
        if (length > body.length - at) {
            throw new CodecException("truncated body: a " + what + " of " + length + " bytes at offset " + at
                    + " runs past the end of the " + body.length + "-byte body");
        }
        return (int) at;
    }

    /** Checks depth, the value budget and the bytes left before a container is allocated. */
    private void checkContainer(int size, long elements, long at, String what) throws CodecException {
        if (depth + 1 > limits.maxDepth()) {
            throw new CodecException("the " + what + " at offset " + at + " nests deeper than the limit of "
                    + limits.maxDepth() + " levels");
        }
        if (values + elements > limits.maxElements()) {
            throw new CodecException("the " + what + " at offset " + at + " announces " + size
                    + " entries, which brings the body past the limit of " + limits.maxElements() + " values");
        }
        long left = body.length - in.getTotalReadBytes();
        if (elements > left) {
            throw new CodecException("truncated body: the " + what + " at offset " + at + " announces " + size
                    + " entries but only " + left + " bytes remain");
        }
        values += elements;
    }

    private void push(Object container, int elements) {
        if (depth == containers.length) {
            int grown = depth * 2;
            containers = Arrays.copyOf(containers, grown);
            pending = Arrays.copyOf(pending, grown);
            keys = Arrays.copyOf(keys, grown);
        }
        containers[depth] = container;
        pending[depth] = elements;
        depth++;
    }

    /** A bin key names the text it encodes, as in js2p and {@code Values.normalize}. */
    private static Object key(Object decoded) {
        return decoded instanceof byte[] bytes ? Utf8.decode(bytes, 0, bytes.length) : decoded;
    }

    private static Object uint64(BigInteger value) {
        return value.bitLength() <= 63 ? (Object) value.longValue() : value;
    }

    private static int capacityFor(int entries) {
        // HashMap resizes past 3/4 full; size it so that these entries never rehash.
        return entries * 4 / 3 + 1;
    }

    private static String describe(MessageFormat format) {
        return format == MessageFormat.NEVER_USED
                ? "reserved byte 0xc1"
                : format.getValueType().name().toLowerCase(Locale.ROOT);
    }
}
