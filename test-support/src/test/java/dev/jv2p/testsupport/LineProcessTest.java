package dev.jv2p.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LineProcessTest {
    private static ProcessBuilder sh(String script) {
        return new ProcessBuilder("sh", "-c", script);
    }

    @Test
    void eachLineOfStdoutAndStderrReachesItsHandlerAndTheEndIsSignalled() throws Exception {
        List<String> out = new CopyOnWriteArrayList<>();
        BlockingQueue<String> err = new LinkedBlockingQueue<>();
        CountDownLatch ended = new CountDownLatch(1);

        try (LineProcess p =
                LineProcess.start(sh("echo one; echo oops >&2; echo two"), "t", out::add, err::add, ended::countDown)) {
            assertTrue(ended.await(10, TimeUnit.SECONDS));
            // before close(), which closes the streams of the process
            assertEquals("oops", err.poll(10, TimeUnit.SECONDS), "stderr is read on a thread of its own");
        }

        assertEquals(List.of("one", "two"), out);
    }

    @Test
    void linesSentReachTheProcessInOrderAndClosingItsInputEndsIt() throws Exception {
        BlockingQueue<String> out = new LinkedBlockingQueue<>();
        CountDownLatch ended = new CountDownLatch(1);

        try (LineProcess p = LineProcess.start(new ProcessBuilder("cat"), "t", out::add, null, ended::countDown)) {
            p.send("first");
            p.sendAll(List.of("second", "third"));
            assertEquals("first", out.poll(10, TimeUnit.SECONDS));
            assertEquals("second", out.poll(10, TimeUnit.SECONDS));
            assertEquals("third", out.poll(10, TimeUnit.SECONDS));

            p.closeInput();

            assertTrue(ended.await(10, TimeUnit.SECONDS));
            assertTrue(p.awaitExit(Duration.ofSeconds(10)), "cat exits at the end of its input");
        }
    }

    @Test
    void whenTheGraceRunsOutTheProcessAndItsChildrenAreKilled() throws Exception {
        BlockingQueue<String> out = new LinkedBlockingQueue<>();
        try (LineProcess p = LineProcess.start(sh("sleep 600 & echo $!; wait"), "t", out::add, null, () -> {})) {
            long child = Long.parseLong(out.poll(10, TimeUnit.SECONDS));
            ProcessHandle sleeper = ProcessHandle.of(child).orElseThrow();

            assertFalse(p.awaitExit(Duration.ofMillis(100)));

            sleeper.onExit().get(10, TimeUnit.SECONDS);
            assertTrue(p.process().waitFor(10, TimeUnit.SECONDS));
            assertFalse(sleeper.isAlive());
        }
    }
}
