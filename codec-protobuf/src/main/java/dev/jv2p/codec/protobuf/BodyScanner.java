package dev.jv2p.codec.protobuf;

import dev.jv2p.mesh.spi.CodecException;
import java.util.Arrays;

/**
 * Walks the protobuf wire format of a body once, allocating nothing per field, and refuses it
 * unless it has the canonical shape of {@code packets.proto} within the {@link ProtobufCodec}'s
 * limits. Only then are message objects built.
 *
 * <p>Protobuf-java's parser builds every message before anyone can count them: a body of n
 * bytes may hold n/2 empty values, each an object of some 40 bytes, so counting afterwards
 * would let an 8 MiB frame cost hundreds of MiB before the element limit refuses it. This
 * pass costs one read of the bytes and makes the limits hold before that allocation. It also
 * refuses what the parser would quietly accept (unknown fields, a value with no kind or two,
 * a repeated key in a map entry), so that the decoded list is exactly what the bytes say.
 *
 * <p>Nested messages are tracked on an explicit stack, not by recursion. One instance per
 * body, used by one thread.
 */
final class BodyScanner {
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;

    private static final int PACKET_LIST = 0;
    private static final int VALUE = 1;
    private static final int LIST_VALUE = 2;
    private static final int MAP_VALUE = 3;
    private static final int MAP_ENTRY = 4;
    private static final String[] MESSAGE_NAMES = {"PacketList", "Value", "ListValue", "MapValue", "MapEntry"};

    private static final int ENTRY_KEY = 1;
    private static final int ENTRY_VALUE = 2;

    private final byte[] body;
    private final int maxDepth;
    private final int maxElements;

    private int pos;
    /** Values found so far, the packet list itself included. */
    private long values;
    /** Nesting of lists and maps; the packet list is level 1. */
    private int depth;

    /** The open messages, innermost at {@code open - 1}: type, start, end, fields seen. */
    private int[] types = new int[16];

    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private int[] seen = new int[16];
    private int open;

    BodyScanner(byte[] body, int maxDepth, int maxElements) {
        this.body = body;
        this.maxDepth = maxDepth;
        this.maxElements = maxElements;
    }

    void scan() throws CodecException {
        push(PACKET_LIST, 0, body.length);
        values = 1;
        depth = 1;
        while (open > 0) {
            int top = open - 1;
            if (pos == ends[top]) {
                close(top);
                continue;
            }
            int tagAt = pos;
            long tag = readVarint(ends[top]);
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (field == 0 || tag >>> 32 != 0) {
                throw new CodecException("malformed protobuf: invalid tag " + tag + " at offset " + tagAt);
            }
            readField(top, field, wireType, tagAt);
        }
    }

    private void readField(int top, int field, int wireType, int tagAt) throws CodecException {
        switch (types[top]) {
            case PACKET_LIST, LIST_VALUE -> {
                expect(top, field == 1, field, wireType, LENGTH_DELIMITED, tagAt);
                openValue(tagAt);
            }
            case MAP_VALUE -> {
                expect(top, field == 1, field, wireType, LENGTH_DELIMITED, tagAt);
                openMessage(MAP_ENTRY, tagAt);
            }
            case MAP_ENTRY -> {
                expect(top, field == ENTRY_KEY || field == ENTRY_VALUE, field, wireType, LENGTH_DELIMITED, tagAt);
                if ((seen[top] & field) != 0) {
                    throw new CodecException("the map entry at offset " + starts[top] + " has a second "
                            + (field == ENTRY_KEY ? "key" : "value") + " at offset " + tagAt);
                }
                seen[top] |= field;
                openValue(tagAt);
            }
            default -> readKind(top, field, wireType, tagAt);
        }
    }

    /** A field of a {@code Value}: exactly one per value, one of the kinds of the oneof. */
    private void readKind(int top, int field, int wireType, int tagAt) throws CodecException {
        if (seen[top] != 0) {
            throw new CodecException("the value at offset " + starts[top] + " has a second kind (field " + field
                    + " at offset " + tagAt + ")");
        }
        seen[top] = field;
        int end = ends[top];
        switch (field) {
            case 1, 2, 3 -> {
                expect(top, true, field, wireType, VARINT, tagAt);
                long number = readVarint(end);
                if (field == 1 && number != 0 || field == 2 && Long.compareUnsigned(number, 1) > 0) {
                    throw new CodecException("the " + (field == 1 ? "nil" : "bool") + " at offset " + tagAt
                            + " has the value " + Long.toUnsignedString(number));
                }
            }
            case 4, 5 -> {
                expect(top, true, field, wireType, FIXED64, tagAt);
                skip(8, end, tagAt);
            }
            case 6, 7 -> {
                expect(top, true, field, wireType, LENGTH_DELIMITED, tagAt);
                skip(readLength(end, tagAt), end, tagAt);
            }
            case 8 -> {
                expect(top, true, field, wireType, LENGTH_DELIMITED, tagAt);
                openContainer(LIST_VALUE, "list", tagAt);
            }
            case 9 -> {
                expect(top, true, field, wireType, LENGTH_DELIMITED, tagAt);
                openContainer(MAP_VALUE, "map", tagAt);
            }
            default -> expect(top, false, field, wireType, -1, tagAt);
        }
    }

    private void openValue(int tagAt) throws CodecException {
        if (values + 1 > maxElements) {
            throw new CodecException(
                    "the value at offset " + tagAt + " brings the body past the limit of " + maxElements + " values");
        }
        values++;
        openMessage(VALUE, tagAt);
    }

    private void openContainer(int type, String what, int tagAt) throws CodecException {
        if (depth + 1 > maxDepth) {
            throw new CodecException(
                    "the " + what + " at offset " + tagAt + " nests deeper than the limit of " + maxDepth + " levels");
        }
        depth++;
        openMessage(type, tagAt);
    }

    private void openMessage(int type, int tagAt) throws CodecException {
        int length = readLength(ends[open - 1], tagAt);
        push(type, tagAt, pos + length);
    }

    private void close(int top) throws CodecException {
        switch (types[top]) {
            case VALUE -> {
                if (seen[top] == 0) {
                    throw new CodecException("the value at offset " + starts[top] + " sets no kind");
                }
            }
            case MAP_ENTRY -> {
                if (seen[top] != (ENTRY_KEY | ENTRY_VALUE)) {
                    throw new CodecException("the map entry at offset " + starts[top] + " has no "
                            + ((seen[top] & ENTRY_KEY) == 0 ? "key" : "value"));
                }
            }
            case LIST_VALUE, MAP_VALUE -> depth--;
            default -> {
                // The packet list itself: nothing more to check.
            }
        }
        open--;
    }

    private void push(int type, int start, int end) {
        if (open == types.length) {
            int grown = open * 2;
            types = Arrays.copyOf(types, grown);
            starts = Arrays.copyOf(starts, grown);
            ends = Arrays.copyOf(ends, grown);
            seen = Arrays.copyOf(seen, grown);
        }
        types[open] = type;
        starts[open] = start;
        ends[open] = end;
        seen[open] = 0;
        open++;
    }

    private void expect(int top, boolean known, int field, int wireType, int expectedWireType, int tagAt)
            throws CodecException {
        String message = MESSAGE_NAMES[types[top]];
        if (!known) {
            throw new CodecException("unknown field " + field + " (wire type " + wireType + ") in the " + message
                    + " at offset " + starts[top] + ", tag at offset " + tagAt);
        }
        if (wireType != expectedWireType) {
            throw new CodecException("field " + field + " of " + message + " at offset " + tagAt + " has wire type "
                    + wireType + ", expected " + expectedWireType);
        }
    }

    /** Reads a length and checks it against the bytes left in the enclosing message. */
    private int readLength(int end, int tagAt) throws CodecException {
        long length = readVarint(end);
        // Unsigned: a 10-byte varint can set the sign bit, and a negative length would move
        // the scan backwards or past the end of the body.
        if (Long.compareUnsigned(length, end - pos) > 0) {
            throw new CodecException("truncated body: the field at offset " + tagAt + " announces "
                    + Long.toUnsignedString(length) + " bytes but only " + (end - pos) + " remain" + within(end));
        }
        return (int) length;
    }

    private void skip(int length, int end, int tagAt) throws CodecException {
        if (length > end - pos) {
            throw new CodecException("truncated body: the field at offset " + tagAt + " needs " + length
                    + " bytes but only " + (end - pos) + " remain" + within(end));
        }
        pos += length;
    }

    private long readVarint(int end) throws CodecException {
        int at = pos;
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos == end) {
                throw new CodecException(
                        "truncated body: the varint at offset " + at + " runs past the end" + within(end));
            }
            byte b = body[pos++];
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new CodecException("malformed protobuf: the varint at offset " + at + " is longer than 10 bytes");
    }

    private String within(int end) {
        return end == body.length
                ? " in the " + body.length + "-byte body"
                : " in the message that ends at offset " + end;
    }
}
