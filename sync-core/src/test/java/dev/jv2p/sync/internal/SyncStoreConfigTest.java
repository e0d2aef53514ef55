package dev.jv2p.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SyncStoreConfigTest {
    private static void assertRefused(SyncStoreConfig.Builder builder, String field) {
        Exception e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().startsWith(field), e.getMessage());
    }

    @Test
    void theBuilderSetsEveryField() {
        SyncStoreConfig config = SyncStoreConfig.builder()
                .leasing(true)
                .leaseDuration(Duration.ofMinutes(5))
                .retention(Duration.ofHours(2))
                .maxFutureSkew(Duration.ofSeconds(10))
                .maxHistoryPerKey(7)
                .foldDeltas(false)
                .build();

        assertEquals(
                new SyncStoreConfig(true, Duration.ofMinutes(5), Duration.ofHours(2), Duration.ofSeconds(10), 7, false),
                config);
        assertEquals(config, config.toBuilder().build());
    }

    @Test
    void buildNamesTheBadField() {
        assertRefused(SyncStoreConfig.builder().leaseDuration(Duration.ofSeconds(-1)), "leaseDuration");
        assertRefused(SyncStoreConfig.builder().retention(Duration.ZERO), "retention");
        assertRefused(SyncStoreConfig.builder().maxFutureSkew(Duration.ofMillis(1500)), "maxFutureSkew");
        assertRefused(SyncStoreConfig.builder().maxHistoryPerKey(0), "maxHistoryPerKey");
        Exception e = assertThrows(
                NullPointerException.class,
                () -> SyncStoreConfig.builder().retention(null).build());
        assertEquals("retention", e.getMessage());
    }

    @Test
    void timesMustBeWholeSecondsBecauseStampsAre() {
        Exception e = assertThrows(
                IllegalArgumentException.class,
                () -> SyncStoreConfig.builder()
                        .leaseDuration(Duration.ofMillis(3_600_500))
                        .build());

        assertTrue(e.getMessage().contains("whole seconds"), e.getMessage());
    }
}
