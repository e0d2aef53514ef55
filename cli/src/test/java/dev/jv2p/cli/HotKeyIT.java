package dev.jv2p.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's hot-key acceptance through the CLI: three {@code jv2p node} processes joined, 10,000
 * {@code set hot N} lines typed into one of them as fast as a paste; every node ends with the
 * last value and no node logs a warning (the nodes log at their default level, {@code warn}).
 */
class HotKeyIT {
    private static final Duration T = Duration.ofSeconds(20);
    private static final int SETS = 10_000;

    @Test
    void tenThousandSetsOfOneKeyTypedIntoOneNodeLeaveTheLastValueOnEveryNode() throws Exception {
        try (NodeProcess a = new NodeProcess();
                NodeProcess b = new NodeProcess("--join", "127.0.0.1:" + a.port());
                NodeProcess c = new NodeProcess("--join", "127.0.0.1:" + a.port())) {
            await().atMost(T).until(() -> a.call("peers").get("peers").size() == 2);
            List<String> lines = new ArrayList<>(SETS);
            for (int i = 1; i <= SETS; i++) {
                lines.add("set hot " + i);
            }
            b.send(lines);
            for (int i = 1; i <= SETS; i++) {
                JsonNode answer = b.nextAnswer(T);
                assertNotNull(answer, "no answer to set number " + i);
                assertTrue(answer.get("ok").asBoolean(), answer.toString());
            }
            for (NodeProcess n : List.of(a, b, c)) {
                await().atMost(T).until(() -> n.call("get hot").get("value").asLong() == SETS);
                assertEquals(b.id(), n.call("get hot").get("owner").asText());
            }
            for (NodeProcess n : List.of(a, b, c)) {
                JsonNode status = n.call("status");
                assertEquals(0, status.get("queuedWritesRefused").asLong(), status.toString());
                assertEquals(0, status.get("localLeaseConflicts").asLong(), status.toString());
                assertEquals(0, status.get("leaseRefusals").asLong(), status.toString());
                for (String line : n.errorLines()) {
                    String l = line.toLowerCase(Locale.ROOT);
                    assertTrue(
                            !l.contains("warn") && !l.contains("dropped") && !l.contains("refused"),
                            "node " + n.id() + " logged: " + line);
                }
            }
        }
    }
}
