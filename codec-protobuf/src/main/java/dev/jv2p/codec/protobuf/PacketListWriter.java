package dev.jv2p.codec.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.jv2p.codec.protobuf.wire.ListValue;
import dev.jv2p.codec.protobuf.wire.MapEntry;
import dev.jv2p.codec.protobuf.wire.MapValue;
import dev.jv2p.codec.protobuf.wire.Nil;
import dev.jv2p.codec.protobuf.wire.PacketList;
import dev.jv2p.codec.protobuf.wire.Value;
import dev.jv2p.mesh.spi.Values;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link PacketList} message of a packet list for {@link ProtobufCodec#encode}.
 *
 * <p>The result equals that of {@code Values.normalizeList(packets)}. Lists already in the
 * value model, the usual case, are converted in one pass without that copy; at the first
 * element outside the model the conversion gives up and the normalized copy, which converts
 * or explains, is converted instead.
 */
final class PacketListWriter {
    /** The depth below the packet list up to which {@code Values.normalize} accepts nesting. */
    private static final int MAX_NORMALIZED_DEPTH = 64;

    private PacketListWriter() {}

    static PacketList write(List<?> packets) {
        PacketList message = packetList(packets);
        return message != null ? message : packetList(Values.normalizeList(packets));
    }

    /** The message, or null if an element is not in the value model. */
    private static PacketList packetList(List<?> packets) {
        PacketList.Builder out = PacketList.newBuilder();
        for (Object element : packets) {
            Value value = value(element, 1);
            if (value == null) {
                return null;
            }
            out.addPackets(value);
        }
        return out.build();
    }

    private static Value value(Object value, int depth) {
        if (depth > MAX_NORMALIZED_DEPTH) {
            // Scalars too, exactly as normalize counts, which then explains the refusal.
            return null;
        }
        Value.Builder out = Value.newBuilder();
        if (value instanceof String text) {
            // Through bytes, which turn an unpaired surrogate into '?' as the msgpack codec
            // does; protobuf would do the same but log a warning for each such string.
            return out.setStringValueBytes(ByteString.copyFromUtf8(text)).build();
        } else if (value instanceof Long number) {
            return out.setIntValue(number).build();
        } else if (value instanceof byte[] bytes) {
            // Not kept: the message is written out before encode returns.
            return out.setBytesValue(UnsafeByteOperations.unsafeWrap(bytes)).build();
        } else if (value == null) {
            return out.setNil(Nil.NIL).build();
        } else if (value instanceof Boolean flag) {
            return out.setBoolValue(flag).build();
        } else if (value instanceof Double number) {
            return out.setDoubleValue(number).build();
        } else if (value instanceof List<?> list) {
            ListValue container = list(list, depth);
            return container == null ? null : out.setListValue(container).build();
        } else if (value instanceof Map<?, ?> map) {
            MapValue container = map(map, depth);
            return container == null ? null : out.setMapValue(container).build();
        } else if (value instanceof BigInteger number && number.signum() > 0 && number.bitLength() == 64) {
            // Only 2^63 .. 2^64-1 remain BigInteger in the value model; longValue keeps the 64 bits.
            return out.setUintValue(number.longValue()).build();
        }
        return null;
    }

    private static ListValue list(List<?> list, int depth) {
        ListValue.Builder out = ListValue.newBuilder();
        for (Object element : list) {
            Value value = value(element, depth + 1);
            if (value == null) {
                return null;
            }
            out.addValues(value);
        }
        return out.build();
    }

    private static MapValue map(Map<?, ?> map, int depth) {
        MapValue.Builder out = MapValue.newBuilder();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            // normalize turns byte[] keys into strings, which may merge two keys.
            if (entry.getKey() instanceof byte[]) {
                return null;
            }
            Value key = value(entry.getKey(), depth + 1);
            Value value = key == null ? null : value(entry.getValue(), depth + 1);
            if (value == null) {
                return null;
            }
            out.addEntries(MapEntry.newBuilder().setKey(key).setValue(value));
        }
        return out.build();
    }
}
