package dev.jv2p.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two {@code jv2p node} processes from the jar, driven over stdin/stdout with {@code --json}. */
class NodeProcessIT {
    private static final Duration T = Duration.ofSeconds(15);

    @Test
    void twoNodeProcessesOverWebSocketShareTheirDictionary() throws Exception {
        try (NodeProcess a = new NodeProcess("--transport", "ws");
                NodeProcess b = new NodeProcess("--transport", "ws", "--join", "127.0.0.1:" + a.port())) {
            await().atMost(T).until(() -> b.call("peers").get("peers").size() == 1);
            assertTrue(a.call("set over ws").get("ok").asBoolean());
            await().atMost(T)
                    .until(() -> "ws".equals(b.call("get over").get("value").asText()));
        }
    }

    @Test
    void twoNodeProcessesShareTheirDictionary() throws Exception {
        try (NodeProcess a = new NodeProcess();
                NodeProcess b = new NodeProcess("--join", "127.0.0.1:" + closedPort())) {
            // b's join of a closed port is retried in the background while b keeps serving.
            try (NodeProcess c = new NodeProcess("--join", "127.0.0.1:" + a.port())) {
                await().atMost(T).until(() -> c.call("peers").get("peers").size() == 1);
                assertEquals(
                        a.id(), c.call("peers").get("peers").get(0).get("id").asText());

                assertTrue(a.call("set greeting {\"text\": \"hi\", \"n\": 3}")
                        .get("ok")
                        .asBoolean());
                await().atMost(T)
                        .until(() ->
                                c.call("get greeting").get("value").path("n").asLong() == 3);
                JsonNode got = c.call("get greeting");
                assertEquals(a.id(), got.get("owner").asText());

                assertTrue(c.call("set plain just some words").get("ok").asBoolean());
                await().atMost(T)
                        .until(() -> "just some words"
                                .equals(a.call("get plain").get("value").asText()));

                JsonNode delta = a.call("delta greeting {\"n\": 4, \"extra\": true}");
                assertEquals(4, delta.get("value").get("n").asLong());
                await().atMost(T)
                        .until(() -> c.call("get greeting")
                                .get("value")
                                .path("extra")
                                .asBoolean());

                assertEquals(
                        "[\"greeting\",\"plain\"]", a.call("keys").get("keys").toString());
                assertTrue(a.call("del greeting").get("ok").asBoolean());
                await().atMost(T)
                        .until(() -> c.call("get greeting").get("value").isNull());
                assertEquals("[\"plain\"]", c.call("keys").get("keys").toString());
                assertEquals(
                        "just some words",
                        c.call("items").get("items").get("plain").asText());

                JsonNode status = a.call("status");
                assertEquals(a.id(), status.get("id").asText());
                assertEquals(1, status.get("entries").asInt());
                assertTrue(status.get("messagesIn").asLong() > 0);
                assertEquals(c.id(), status.get("peers").get(0).get("id").asText());
                assertEquals("in", status.get("peers").get(0).get("direction").asText());
                assertEquals(1, status.get("tombstones").asInt(), "greeting was deleted");

                JsonNode bad = a.call("delta plain [1,2]");
                assertFalse(bad.get("ok").asBoolean());
                assertFalse(a.call("frobnicate").get("ok").asBoolean());
            }
            assertTrue(b.call("status").get("ok").asBoolean(), "a node whose join fails keeps running");
        }
    }

    @Test
    void watchPrintsUpdatesAndDeletesAsEvents() throws Exception {
        try (NodeProcess a = new NodeProcess()) {
            try (NodeProcess c = new NodeProcess("--join", "127.0.0.1:" + a.port())) {
                await().atMost(T).until(() -> a.call("peers").get("peers").size() == 1);
                assertEquals("watching", c.call("watch").get("result").asText());
                a.call("set k 1");
                JsonNode e = c.nextEvent(T);
                assertEquals("update", e.get("event").asText());
                assertEquals("k", e.get("key").asText());
                assertEquals(1, e.get("value").asLong());
                a.call("del k");
                assertEquals("delete", c.nextEvent(T).get("event").asText());
            }
        }
    }

    @Test
    void aNodeWithoutStdinIsDrivenThroughItsControlPort() throws Exception {
        try (NodeProcess a = new NodeProcess("--control-port", "0", "--no-stdin")) {
            int control = a.started().get("controlPort").asInt();
            try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), control);
                    var in = new java.io.BufferedReader(new java.io.InputStreamReader(
                            s.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
                    var out = new java.io.PrintStream(
                            s.getOutputStream(), true, java.nio.charset.StandardCharsets.UTF_8)) {
                out.println("set k [1, 2]");
                assertTrue(com.fasterxml.jackson.databind.json.JsonMapper.builder()
                        .build()
                        .readTree(in.readLine())
                        .get("ok")
                        .asBoolean());
                out.println("get k");
                JsonNode got = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in.readLine());
                assertEquals("[1,2]", got.get("value").toString());
                assertEquals(a.id(), got.get("owner").asText());
                out.println("dump");
                JsonNode entry = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(in.readLine())
                        .get("entries")
                        .get("k");
                assertEquals("[1,2]", entry.get("value").toString());
                assertEquals(a.id(), entry.get("owner").asText());
                assertEquals(
                        got.get("timestamp").asLong(), entry.get("timestamp").asLong());
            }
        }
    }

    @Test
    void aJoinedPeerIsJoinedAgainAfterItRestarts() throws Exception {
        String port = String.valueOf(closedPort());
        try (NodeProcess c = new NodeProcess("--join", "127.0.0.1:" + port, "--join-max-delay", "1s")) {
            try (NodeProcess a = new NodeProcess("--port", port)) {
                await().atMost(T).until(() -> c.call("peers").get("peers").size() == 1);
                assertEquals(
                        a.id(), c.call("peers").get("peers").get(0).get("id").asText());
            }
            await().atMost(T).until(() -> c.call("peers").get("peers").isEmpty());
            try (NodeProcess a = new NodeProcess("--port", port)) {
                await().atMost(T).until(() -> c.call("peers").get("peers").size() == 1);
                assertTrue(c.call("set after-restart 1").get("ok").asBoolean());
                await().atMost(T)
                        .until(() -> a.call("get after-restart").get("value").asLong() == 1);
            }
        }
    }

    private static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void tlsNodesWithKeyFilesSyncAndKeepTheirIdsAcrossRestarts() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("jv2p-tls");
        try {
            String keyA = dir.resolve("a.pem").toString();
            String idA;
            try (NodeProcess a = new NodeProcess("--transport", "TLS", "--key-file", keyA)) {
                idA = a.id();
                try (NodeProcess c = new NodeProcess(
                        "--transport",
                        "TLS",
                        "--key-file",
                        dir.resolve("c.pem").toString(),
                        "--allow",
                        a.id(),
                        "--join",
                        "127.0.0.1:" + a.port())) {
                    await().atMost(T).until(() -> c.call("peers").get("peers").size() == 1);
                    a.call("set secret {\"signed\": true}");
                    await().atMost(T)
                            .until(() -> c.call("get secret")
                                    .get("value")
                                    .path("signed")
                                    .asBoolean());
                    assertEquals(a.id(), c.call("get secret").get("owner").asText());
                }
            }
            try (NodeProcess again = new NodeProcess("--transport", "TLS", "--key-file", keyA)) {
                assertEquals(idA, again.id(), "the key file keeps the node id");
            }
        } finally {
            try (var files = java.nio.file.Files.list(dir)) {
                for (java.nio.file.Path f : files.toList()) {
                    java.nio.file.Files.delete(f);
                }
            }
            java.nio.file.Files.delete(dir);
        }
    }

    @Test
    void sigtermShutsTheNodeDownAndFreesThePort() throws Exception {
        NodeProcess a = new NodeProcess();
        int port = a.port();
        a.process().destroy(); // SIGTERM
        assertTrue(a.process().waitFor(15, TimeUnit.SECONDS));
        try (java.net.ServerSocket again =
                new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort());
        }
    }
}
