package dev.jv2p.mesh;

import static dev.jv2p.mesh.testing.GoldenVectors.bytes;
import static dev.jv2p.mesh.testing.GoldenVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jv2p.mesh.internal.Base58;
import dev.jv2p.mesh.internal.Hashes;
import dev.jv2p.mesh.testing.GoldenVectors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Protocol ids (spec §8.2): base58(SHA-256(subnet + encryption + "0.7")), plus jv2p's codec rule. */
class ProtocolIdTest {

    static List<Named<JsonNode>> protocolIds() {
        List<Named<JsonNode>> out = new ArrayList<>();
        GoldenVectors.standalone()
                .required("protocol_ids")
                .forEach(v -> out.add(Named.of(
                        "'" + v.required("subnet").asText() + "' "
                                + v.required("encryption").asText(),
                        v)));
        return out;
    }

    @Test
    void theVectorsCoverThirteenSubnetAndEncryptionPairs() {
        assertEquals(13, protocolIds().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protocolIds")
    void hashesSubnetEncryptionAndVersionWithoutSeparators(JsonNode vector) {
        Protocol protocol = new Protocol(
                vector.required("subnet").asText(),
                vector.required("encryption").asText());

        assertEquals(
                vector.required("hash_input_utf8_hex").asText(),
                hex(protocol.hashInput().getBytes(StandardCharsets.UTF_8)));
        assertEquals(
                vector.required("sha256_hex").asText(),
                hex(Hashes.sha256(protocol.hashInput().getBytes(StandardCharsets.UTF_8))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protocolIds")
    void givesTheIdJs2pComputes(JsonNode vector) {
        Protocol protocol = new Protocol(
                vector.required("subnet").asText(),
                vector.required("encryption").asText());

        String id = protocol.id();

        assertEquals(vector.required("id").asText(), id);
        assertEquals(vector.required("id_length").asInt(), id.length());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protocolIds")
    void dropsLeadingZeroBytesOfTheDigest(JsonNode vector) {
        byte[] digest = bytes(vector.required("sha256_hex").asText());
        int zeros = 0;
        while (zeros < digest.length && digest[zeros] == 0) {
            zeros++;
        }
        assertEquals(vector.required("leading_zero_bytes_in_digest").asInt(), zeros);
        // A Bitcoin-style encoder would add one '1' per zero byte; js2p adds none.
        assertEquals(
                Base58.encode(digest),
                new Protocol(
                                vector.required("subnet").asText(),
                                vector.required("encryption").asText())
                        .id());
    }

    @Test
    void theDefaultMeshProtocolIsJs2psMeshSocketProtocol() {
        assertEquals(
                "EpAmyZWv9rZUKmjQgU3FTUD4GrJHvVEXizmghVBc8eGD",
                Protocol.defaultMesh().id());
        assertEquals("msgpack", Protocol.defaultMesh().codec());
    }

    @Test
    void aNonMsgpackCodecAppendsItsNameToTheHashedText() {
        Protocol protobuf = Protocol.defaultMesh().withCodec("protobuf");

        assertEquals("meshPlaintext0.7/protobuf", protobuf.hashInput());
        assertEquals(
                Base58.encode(Hashes.sha256("meshPlaintext0.7/protobuf".getBytes(StandardCharsets.UTF_8))),
                protobuf.id());
        assertNotEquals(Protocol.defaultMesh().id(), protobuf.id());
    }

    @Test
    void namingMsgpackExplicitlyKeepsTheJs2pId() {
        assertEquals(Protocol.defaultMesh().id(), new Protocol("mesh", "Plaintext", "msgpack").id());
        assertEquals(
                Protocol.defaultMesh().id(),
                Protocol.defaultMesh()
                        .withCodec("protobuf")
                        .withCodec("msgpack")
                        .id());
    }

    @Test
    void differentCodecsNeverShareAnId() {
        Protocol base = new Protocol("sync1", "Plaintext");
        assertNotEquals(base.withCodec("json").id(), base.withCodec("protobuf").id());
        assertNotEquals(base.id(), base.withCodec("json").id());
    }

    @Test
    void refusesAnEmptyEncryptionOrCodec() {
        assertThrows(IllegalArgumentException.class, () -> new Protocol("mesh", ""));
        assertThrows(IllegalArgumentException.class, () -> new Protocol("mesh", "Plaintext", ""));
    }

    @Test
    void acceptsAnEmptySubnetAsJs2pDoes() {
        assertArrayEquals(
                "Plaintext0.7".getBytes(StandardCharsets.UTF_8),
                new Protocol("", "Plaintext").hashInput().getBytes(StandardCharsets.UTF_8));
        assertEquals("3soAb1XFyvZYyqgFNTxcXvzEBU6p8n821ifyVVANipvt", new Protocol("", "Plaintext").id());
    }
}
