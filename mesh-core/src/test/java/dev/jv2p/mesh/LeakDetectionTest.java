package dev.jv2p.mesh;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.testing.LeakRecorder;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The build's leak check sees a leak: a buffer dropped without release is recorded. */
class LeakDetectionTest {

    @Test
    void testsRunWithTheParanoidDetector() {
        assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel());
    }

    @Test
    void aBufferDroppedWithoutReleaseIsRecorded() throws InterruptedException {
        assertTrue(LeakRecorder.watchesBuffers());
        LeakRecorder.drain();
        leakOneBuffer();
        List<String> leaks = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    LeakRecorder.collect();
                    leaks.addAll(LeakRecorder.drain());
                    return !leaks.isEmpty();
                });
        assertTrue(leaks.get(0).contains("LEAK: ByteBuf.release() was not called"), leaks.get(0));
        assertTrue(leaks.get(0).contains("leakOneBuffer"), "the report names where the buffer was made");
    }

    private static void leakOneBuffer() {
        ByteBufAllocator.DEFAULT.buffer(64).writeLong(42);
    }
}
