package dev.jv2p.mesh.internal;

import static dev.jv2p.mesh.testing.GoldenVectors.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.mesh.testing.GoldenVectors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Node ids (spec §8.3): base58(SHA-384("(host, port)" + protocol id + salt)). */
class NodeIdsTest {

    private static final Pattern UUID_V4 =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

    static List<Named<JsonNode>> nodeIds() {
        List<Named<JsonNode>> out = new ArrayList<>();
        GoldenVectors.standalone()
                .required("node_ids")
                .forEach(v -> out.add(Named.of(
                        v.required("class").asText() + " " + v.required("addr").asText() + ":"
                                + v.required("port").asInt(),
                        v)));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeIds")
    void hashesTheBindAddressProtocolIdAndSaltInJs2psLayout(JsonNode vector) {
        String input = "(" + vector.required("addr").asText() + ", "
                + vector.required("port").asInt() + ")"
                + vector.required("protocol_id").asText()
                + vector.required("user_salt").asText();

        assertEquals(vector.required("sha384_input").asText(), input);
        assertEquals(
                vector.required("sha384_hex").asText(), hex(Hashes.sha384(input.getBytes(StandardCharsets.UTF_8))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeIds")
    void givesTheIdJs2pComputes(JsonNode vector) {
        assertEquals(
                vector.required("node_id").asText(),
                NodeIds.compute(
                        vector.required("addr").asText(),
                        vector.required("port").asInt(),
                        vector.required("protocol_id").asText(),
                        vector.required("user_salt").asText()));
    }

    @Test
    void reproducesTheIdsOfTheCapturedSessionAndProbeNodes() {
        JsonNode session = GoldenVectors.root().required("session");
        JsonNode probes = GoldenVectors.root().required("probes");
        List<JsonNode> nodes = new ArrayList<>();
        session.required("nodes").forEach(nodes::add);
        int sessionNodes = nodes.size();
        nodes.add(probes.required("node"));

        for (int i = 0; i < nodes.size(); i++) {
            JsonNode node = nodes.get(i);
            String salt =
                    (i < sessionNodes ? session : probes).required("user_salt").asText();
            assertEquals(
                    node.required("id").asText(),
                    NodeIds.compute(
                            node.required("addr").asText(),
                            node.required("port").asInt(),
                            node.required("protocol_id").asText(),
                            salt),
                    node.toString());
        }
        assertEquals(4, nodes.size());
    }

    @Test
    void theSaltIsPartOfTheIdentity() {
        String protocolId = Protocol.defaultMesh().id();
        assertNotEquals(
                NodeIds.compute("127.0.0.1", 4444, protocolId, "a"),
                NodeIds.compute("127.0.0.1", 4444, protocolId, "b"));
    }

    @Test
    void freshSaltsAreShapedLikeJs2psUuidV4AndDiffer() {
        String first = NodeIds.newSalt();
        String second = NodeIds.newSalt();

        assertTrue(UUID_V4.matcher(first).matches(), first);
        assertTrue(UUID_V4.matcher(second).matches(), second);
        assertNotEquals(first, second);
    }
}
