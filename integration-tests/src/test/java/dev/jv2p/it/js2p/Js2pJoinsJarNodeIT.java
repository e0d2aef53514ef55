package dev.jv2p.it.js2p;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A real js2p 0.7.870 node joins a {@code jv2p node} started from {@code cli/target/jv2p.jar}. */
@ExtendWith(Js2pLogsOnFailure.class)
class Js2pJoinsJarNodeIT {
    private static final Duration T = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aJs2pNodeJoinsTheJarNodeAndTheyShareTheirDictionary() throws Exception {
        Path jar = Path.of(System.getProperty("jv2p.it.jar", "../cli/target/jv2p.jar"));
        assertTrue(Files.isRegularFile(jar), "the node jar is built before the integration tests: " + jar);
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        jar.toString(),
                        "node",
                        "--json",
                        "--port",
                        "0")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            lines.add(JSON.readTree(line));
                        }
                    } catch (java.io.IOException e) {
                        // the process ended
                    }
                },
                "jar-node-stdout");
        reader.setDaemon(true);
        reader.start();
        try (Writer stdin = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
                Js2pNode js = Js2pNode.sync().name("joiner").start()) {
            JsonNode started = lines.poll(30, TimeUnit.SECONDS);
            assertEquals("started", started.get("event").asText(), String.valueOf(started));
            assertEquals(js.protocolId(), started.get("protocolId").asText(), "both are default sync1 nodes");
            String jvId = started.get("id").asText();

            stdin.write("set before-join {\"from\": \"jar\"}\n");
            stdin.flush();
            assertTrue(lines.poll(15, TimeUnit.SECONDS).get("ok").asBoolean());

            js.connect("127.0.0.1", started.get("port").asInt());
            js.awaitPeer(jvId, T);
            // The jar node sends js2p the per-key transfer of what it held before the join.
            Js2pEvent transferred = js.awaitUpdate("before-join", T);
            assertEquals(jvId, transferred.owner());

            js.set("from-js2p", List.of(1L, "two"));
            await().atMost(T).until(() -> {
                stdin.write("get from-js2p\n");
                stdin.flush();
                JsonNode answer = lines.poll(15, TimeUnit.SECONDS);
                return answer != null
                        && "[1,\"two\"]".equals(answer.get("value").toString());
            });
            stdin.write("peers\n");
            stdin.flush();
            JsonNode peers = lines.poll(15, TimeUnit.SECONDS).get("peers");
            assertEquals(1, peers.size());
            assertEquals(js.id(), peers.get(0).get("id").asText());
            assertEquals(List.of(), js.exceptions());
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }
}
