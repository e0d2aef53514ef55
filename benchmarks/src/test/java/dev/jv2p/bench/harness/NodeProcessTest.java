package dev.jv2p.bench.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's side of the {@code #BN} line protocol, against a bench node played by sh. */
class NodeProcessTest {
    private static final Duration T = Duration.ofSeconds(10);
    private static final String BENCH_NODE = String.join(
            "\n",
            "echo '#BN ready 42'",
            "echo 'not protocol'",
            "while read cid cmd rest; do",
            "  case \"$cmd\" in",
            "    echo) echo \"#BN ok $cid $rest\" ;;",
            "    fail) echo \"#BN err $cid no such key\" ;;",
            "    die) exit 3 ;;",
            "    close) echo \"#BN ok $cid\"; exit 0 ;;",
            "  esac",
            "done");

    @TempDir
    Path dir;

    private NodeProcess start() throws Exception {
        return NodeProcess.start("n1", List.of("sh", "-c", BENCH_NODE), dir.resolve("n1.log"));
    }

    @Test
    void answersAndEventsAreMatchedAndOtherOutputGoesToTheLog() throws Exception {
        NodeProcess node = start();
        try {
            assertArrayEquals(new String[] {"ready", "42"}, node.awaitEvent(T, "ready"));
            assertArrayEquals(new String[] {"a", "b"}, node.call("echo a b", T));
        } finally {
            node.close();
        }

        assertFalse(node.isAlive(), "close asked it to exit");
        assertTrue(Files.readString(dir.resolve("n1.log.out")).contains("not protocol"));
    }

    @Test
    void anErrAnswerIsAnErrorThatQuotesIt() throws Exception {
        try (NodeProcess node = start()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> node.call("fail", T));
            assertTrue(e.getMessage().contains("no such key"), e.getMessage());
        }
    }

    @Test
    void aNodeThatExitsWhileAwaitedIsReportedWithItsExitCode() throws Exception {
        try (NodeProcess node = start()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> node.call("die", T));
            assertTrue(e.getMessage().contains("exited with code 3"), e.getMessage());
        }
    }
}
