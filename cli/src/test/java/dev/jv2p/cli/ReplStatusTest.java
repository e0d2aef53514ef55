package dev.jv2p.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jv2p.mesh.testkit.TestMesh;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The REPL's {@code status} command prints the node's {@code SyncStatus}, as JSON and as one line of text. */
class ReplStatusTest {
    private static final Duration T = Duration.ofSeconds(10);

    private static SyncSocket node(TestMesh mesh, String name) {
        return mesh.track(SyncSocket.start(
                SyncConfig.builder().mesh(mesh.config(name).build()).build()));
    }

    private static String run(SyncSocket node, boolean json, String command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Repl repl = new Repl(node, out, json)) {
            repl.execute(command);
        }
        return bytes.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void jsonStatusListsTheNodeTheDictionaryAndEachPeer() throws Exception {
        try (TestMesh mesh = TestMesh.loopback()) {
            SyncSocket a = node(mesh, "a");
            SyncSocket b = node(mesh, "b");
            mesh.joinAndAwait(b.mesh(), a.mesh());
            a.set("greeting", "hello");
            await().atMost(T).until(() -> "hello".equals(b.get("greeting")));

            JsonNode s = ValueJson.MAPPER.readTree(run(b, true, "status"));
            assertTrue(s.get("ok").asBoolean());
            assertEquals(b.id(), s.get("id").asText());
            assertEquals("msgpack", s.get("codec").asText());
            assertEquals("Plaintext", s.get("transport").asText());
            assertEquals("sync1", s.get("subnet").asText());
            assertEquals(1, s.get("entries").asInt());
            assertTrue(s.get("estimatedBytes").asLong() > 0);
            assertEquals(1, s.get("peers").size());
            JsonNode peer = s.get("peers").get(0);
            assertEquals(a.id(), peer.get("id").asText());
            assertEquals("out", peer.get("direction").asText());
            assertEquals(
                    "127.0.0.1:" + a.mesh().localAddress().getPort(),
                    peer.get("address").asText());
            assertTrue(
                    peer.get("bytesIn").asLong() > 0 && peer.get("messagesIn").asLong() > 0, peer.toString());
            assertTrue(peer.get("lastError").isNull());
        }
    }

    @Test
    void textStatusIsOneLineNamingTheNodeAndItsPeers() {
        try (TestMesh mesh = TestMesh.loopback()) {
            SyncSocket a = node(mesh, "a");
            SyncSocket b = node(mesh, "b");
            mesh.joinAndAwait(b.mesh(), a.mesh());
            assertEquals(1, a.mesh().routingTable().size());

            String line = run(a, false, "status");
            assertEquals(1, line.lines().count(), line);
            assertTrue(
                    line.startsWith("id " + a.id() + " | protocol " + a.mesh().protocolId()), line);
            assertTrue(line.contains("| peers 1 | peer " + b.id() + " in "), line);
        }
    }
}
