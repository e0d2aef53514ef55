package dev.jv2p.mesh.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static List<Long> waitsMillis(Backoff backoff, int count) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(backoff.next().toMillis());
        }
        return out;
    }

    @Test
    void eachWaitDoublesTheOneBeforeUpToTheLongest() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(3));

        assertEquals(List.of(500L, 1000L, 2000L, 3000L, 3000L), waitsMillis(b, 5));
    }

    @Test
    void aJitteredWaitLiesBetweenHalfTheWaitAndTheWholeAndStillDoubles() {
        Backoff b = new Backoff(Duration.ofMillis(1000), Duration.ofSeconds(4));
        java.util.Random random = new java.util.Random(7);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        long[] bounds = {1000, 2000, 4000, 4000};
        for (long bound : bounds) {
            long wait = b.next(random).toMillis();
            seen.add(wait);
            assertTrue(
                    wait >= bound / 2 && wait <= bound, wait + " ms is not within [" + bound / 2 + ", " + bound + "]");
        }
        assertTrue(seen.size() > 1, "the waits were not jittered: " + seen);
    }

    @Test
    void resetStartsOverFromTheFirstWait() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
        waitsMillis(b, 3);

        b.reset();

        assertEquals(List.of(1000L, 2000L), waitsMillis(b, 2));
    }

    @Test
    void aLongestWaitBelowTheFirstCapsEveryWaitAfterTheFirst() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofMillis(300));

        assertEquals(List.of(1000L, 300L, 300L), waitsMillis(b, 3));
    }

    @Test
    void waitsNearTheLimitOfDurationDoNotOverflow() {
        Duration huge = Duration.ofDays(365 * 400);
        Backoff b = new Backoff(Duration.ofDays(365 * 200), huge);

        b.next();
        b.next();

        assertEquals(Long.MAX_VALUE, b.next().toNanos());
    }

    @Test
    void aFirstWaitThatIsNotPositiveIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofMillis(-1), Duration.ofSeconds(1)));
    }

    @Test
    void aNegativeLongestWaitIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), Duration.ofMillis(-1)));
    }
}
