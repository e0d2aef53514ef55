package dev.jv2p.mesh.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The clock moves only when advanced, and timers run at their deadlines in order. */
class VirtualTimeTest {

    @Test
    void timersRunAtTheirVirtualDeadlinesInOrderAndSeeThatTime() {
        try (VirtualTime time = new VirtualTime()) {
            List<String> ran = new CopyOnWriteArrayList<>();
            time.group().schedule(() -> ran.add("5s at " + time.elapsed().toMillis()), 5, TimeUnit.SECONDS);
            time.group().schedule(() -> ran.add("2s at " + time.elapsed().toMillis()), 2, TimeUnit.SECONDS);
            time.advance(Duration.ofMillis(1999));
            assertEquals(List.of(), ran);
            time.advance(Duration.ofSeconds(10));
            assertEquals(List.of("2s at 2000", "5s at 5000"), ran);
            assertEquals(Duration.ofMillis(11999), time.elapsed());
        }
    }

    @Test
    void aFixedRateTaskRunsOncePerPeriodOfVirtualTime() {
        try (VirtualTime time = new VirtualTime()) {
            List<Long> ran = new CopyOnWriteArrayList<>();
            time.group().scheduleAtFixedRate(() -> ran.add(time.elapsed().toMillis()), 100, 100, TimeUnit.MILLISECONDS);
            time.advance(Duration.ofMillis(350));
            assertEquals(List.of(100L, 200L, 300L), ran);
        }
    }

    @Test
    void advanceUntilStopsAtTheFirstDeadlineThatMakesTheConditionHold() {
        try (VirtualTime time = new VirtualTime()) {
            List<String> ran = new CopyOnWriteArrayList<>();
            time.group().schedule(() -> ran.add("x"), 3, TimeUnit.SECONDS);
            assertEquals(Duration.ofSeconds(3), time.advanceUntil(() -> !ran.isEmpty(), Duration.ofSeconds(10)));
            assertThrows(AssertionError.class, () -> time.advanceUntil(() -> false, Duration.ofSeconds(1)));
        }
    }

    @Test
    void theClockIsMovedFromTheTestThreadOnly() throws InterruptedException {
        try (VirtualTime time = new VirtualTime()) {
            ExecutionException e = assertThrows(
                    ExecutionException.class,
                    () -> time.group()
                            .submit(() -> time.advance(Duration.ofSeconds(1)))
                            .get());
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertThrows(IllegalArgumentException.class, () -> time.advance(Duration.ofSeconds(-1)));
        }
    }
}
