package dev.jv2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jv2p node --data-dir}: what a node answered before a {@code kill -9} is there after a restart. */
class DataDirIT {
    private static final int KEYS = 300;

    @TempDir
    Path dir;

    @Test
    void writesAnsweredBeforeAKillAreAllThereAfterARestartInTheDefaultMode() throws Exception {
        String data = dir.resolve("data").toString();
        String id;
        int port;
        try (NodeProcess node = new NodeProcess("--data-dir", data)) {
            id = node.id();
            port = node.port();
            List<String> commands = new ArrayList<>();
            for (int i = 0; i < KEYS; i++) {
                commands.add("set k" + i + " " + i);
            }
            commands.add("del k0");
            node.send(commands);
            for (int i = 0; i <= KEYS; i++) { // every write answered ...
                JsonNode answer = node.nextAnswer(Duration.ofSeconds(15));
                assertTrue(answer != null && answer.get("ok").asBoolean(), "answer " + i + ": " + answer);
            }
            node.process().destroyForcibly(); // ... then SIGKILL: no snapshot, no flush
            assertTrue(node.process().waitFor(15, TimeUnit.SECONDS));
        }
        try (NodeProcess again = new NodeProcess("--data-dir", data, "--port", String.valueOf(port))) {
            assertEquals(id, again.id(), "the same id at the same address");
            JsonNode entries = again.call("dump").get("entries");
            assertEquals(KEYS - 1, entries.size());
            assertEquals(KEYS - 1, entries.get("k" + (KEYS - 1)).get("value").asLong());
            assertTrue(entries.path("k0").isMissingNode(), "the delete is kept too");
        }
    }
}
