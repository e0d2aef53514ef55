package dev.jv2p.codec.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.codec.msgpack.MsgpackCodec;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.mesh.internal.Base58;
import dev.jv2p.mesh.internal.Hashes;
import dev.jv2p.mesh.internal.NodeIds;
import dev.jv2p.mesh.internal.wire.Frames;
import dev.jv2p.mesh.spi.Codec;
import dev.jv2p.mesh.spi.DecodeLimits;
import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.mesh.spi.Values;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The same packet lists under both codecs: separate meshes, equal values, and what each costs on the wire. */
class ProtobufVersusMsgpackTest {

    private static final Codec MSGPACK = new MsgpackCodec();
    private static final Codec PROTOBUF = new ProtobufCodec();

    @Test
    void aMeshOfEachCodecHasItsOwnProtocolId() {
        Protocol msgpack = Protocol.defaultMesh();
        Protocol protobuf = msgpack.withCodec(ProtobufCodec.NAME);

        assertNotEquals(msgpack.id(), protobuf.id());
        assertEquals(
                Base58.encode(Hashes.sha256("meshPlaintext0.7/protobuf".getBytes(StandardCharsets.UTF_8))),
                protobuf.id());
        // js2p's id of the sync subnet with leasing, and what the protobuf codec makes of it.
        assertEquals("p7sAnBsK3n5enFXH7vEGQjzS6t6RH1CeEoYekNjr5Jn", new Protocol("sync1", "Plaintext").id());
        assertNotEquals(
                "p7sAnBsK3n5enFXH7vEGQjzS6t6RH1CeEoYekNjr5Jn",
                new Protocol("sync1", "Plaintext", ProtobufCodec.NAME).id());
    }

    @Test
    void theSamePacketListIsWrittenDifferentlyAndReadBackEqual() throws Exception {
        for (Codec codec : List.of(MSGPACK, PROTOBUF)) {
            List<Object> store = typicalStore(codec, "Ada Lovelace");
            for (List<Object> packets : List.of(store, typicalStore(codec, structuredValue()))) {
                byte[] mine = codec.encode(packets);
                Codec other = codec == MSGPACK ? PROTOBUF : MSGPACK;

                assertFalse(Arrays.equals(mine, other.encode(packets)), codec.name());
                assertTrue(Values.deepEquals(packets, codec.decode(mine, DecodeLimits.DEFAULT)));
                assertTrue(Values.deepEquals(packets, other.decode(other.encode(packets), DecodeLimits.DEFAULT)));
            }
        }
    }

    @Test
    void reportsTheFrameSizeOfATypicalStoreUnderEachCodec() throws Exception {
        for (Object value : List.of("Ada Lovelace", structuredValue())) {
            int msgpack = frameSize(MSGPACK, value);
            int protobuf = frameSize(PROTOBUF, value);
            System.out.printf(
                    "store frame (%s value): msgpack %d bytes, protobuf %d bytes (%+d)%n",
                    value instanceof String ? "string" : "map", msgpack, protobuf, protobuf - msgpack);
            // Prefix, checksum and at least the 66-character sender id, key and value.
            assertTrue(msgpack > 4 + 32 + 66 + 12 && protobuf > 4 + 32 + 66 + 12, msgpack + " / " + protobuf);
        }
    }

    /** The whole frame, prefix and checksum included, uncompressed; the packets read back equal. */
    private static int frameSize(Codec codec, Object value) throws Exception {
        List<Object> packets = typicalStore(codec, value);
        byte[] frame = Frames.frame(Frames.body(Frames.block(codec.encode(packets)), null));
        byte[] body = Arrays.copyOfRange(frame, Frames.PREFIX_LENGTH, frame.length);
        byte[] payload = Frames.open(body, List.of(), body.length).payload();
        assertTrue(Values.deepEquals(packets, codec.decode(payload, DecodeLimits.DEFAULT)));
        return frame.length;
    }

    /**
     * What {@code SyncSocket.set("user:42/name", value)} broadcasts: {@code [BROADCAST,
     * sender, time, STORE, key bytes, value, seq]}, from a node of a sync mesh of that codec.
     */
    private static List<Object> typicalStore(Codec codec, Object value) {
        String protocolId = new Protocol("sync1", "Plaintext", codec.name()).id();
        String sender = NodeIds.compute("127.0.0.1", 44565, protocolId, "b2a1f0e4c3d2");
        return Values.normalizeList(List.of(
                (long) Flags.BROADCAST,
                sender,
                1_800_000_000L,
                (long) Flags.STORE,
                "user:42/name".getBytes(StandardCharsets.UTF_8),
                value,
                1L));
    }

    private static Map<Object, Object> structuredValue() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("name", "Ada Lovelace");
        map.put("born", 1815L);
        map.put("score", 0.75);
        map.put("tags", List.of("math", "poetry"));
        return map;
    }
}
