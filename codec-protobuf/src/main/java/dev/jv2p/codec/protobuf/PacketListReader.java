package dev.jv2p.codec.protobuf;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.jv2p.codec.protobuf.wire.MapEntry;
import dev.jv2p.codec.protobuf.wire.MapValue;
import dev.jv2p.codec.protobuf.wire.PacketList;
import dev.jv2p.codec.protobuf.wire.Value;
import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.spi.DecodeLimits;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one packet list for {@link ProtobufCodec#decode}: the {@link BodyScanner} first
 * checks shape and limits, then protobuf-java parses and the messages become values.
 */
final class PacketListReader {
    private static final String SCANNER_BUG = "let through by the body scanner (a jv2p bug)";

    private PacketListReader() {}

    static List<Object> read(byte[] body, DecodeLimits limits) throws CodecException {
        int maxDepth = Math.min(limits.maxDepth(), ProtobufCodec.MAX_DEPTH);
        new BodyScanner(body, maxDepth, limits.maxElements()).scan();
        PacketList message;
        try {
            CodedInputStream in = CodedInputStream.newInstance(body);
            in.setRecursionLimit(recursionLimit(maxDepth));
            message = PacketList.parser().parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            // After the scan, in practice only a string that is not UTF-8.
            throw new CodecException("malformed protobuf: " + e.getMessage(), e);
        }
        return list(message.getPacketsList());
    }

    /**
     * The protobuf nesting that {@code maxDepth} levels of values need. Each list level takes
     * two messages (ListValue, Value) and each map level three (MapValue, MapEntry, Value);
     * the values of the packet list are nested once. So the scanner's depth check stays the
     * one that speaks, and this bound only backs it up.
     */
    static int recursionLimit(int maxDepth) {
        return 3 * maxDepth - 2;
    }

    private static List<Object> list(List<Value> values) {
        List<Object> out = new ArrayList<>(values.size());
        for (Value value : values) {
            out.add(value(value));
        }
        return out;
    }

    private static Map<Object, Object> map(MapValue map) {
        Map<Object, Object> out = new LinkedHashMap<>(map.getEntriesCount() * 4 / 3 + 1);
        for (MapEntry entry : map.getEntriesList()) {
            Object key = value(entry.getKey());
            // As Values.normalize does: a byte[] key could never be found again by content.
            if (key instanceof byte[] bytes) {
                key = new String(bytes, StandardCharsets.UTF_8);
            }
            // A repeated key keeps its first position and takes the later value, as in msgpack.
            out.put(key, value(entry.getValue()));
        }
        return out;
    }

    private static Object value(Value value) {
        return switch (value.getKindCase()) {
            case NIL -> null;
            case BOOL_VALUE -> value.getBoolValue();
            case INT_VALUE -> value.getIntValue();
            case UINT_VALUE -> unsigned(value.getUintValue());
            case DOUBLE_VALUE -> value.getDoubleValue();
            case STRING_VALUE -> value.getStringValue();
            case BYTES_VALUE -> value.getBytesValue().toByteArray();
            case LIST_VALUE -> list(value.getListValue().getValuesList());
            case MAP_VALUE -> map(value.getMapValue());
            case KIND_NOT_SET -> throw new IllegalStateException("a value without a kind was " + SCANNER_BUG);
        };
    }

    /** A fixed64 read as unsigned: {@link Long} when it fits, as everywhere in the value model. */
    private static Object unsigned(long bits) {
        return bits >= 0
                ? (Object) bits
                : BigInteger.valueOf(bits & Long.MAX_VALUE).setBit(63);
    }
}
