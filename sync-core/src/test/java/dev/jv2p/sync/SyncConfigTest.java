package dev.jv2p.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshConfig;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SyncConfig} is a value: validated when made, equal when its values are. */
class SyncConfigTest {

    @Test
    void anInvalidValueIsRefusedAtConstructionNamingTheField() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SyncConfig.builder().antiEntropyInterval(Duration.ZERO).build());
        assertEquals("SyncConfig.antiEntropyInterval must be positive, was PT0S", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> SyncConfig.builder().maxHistoryPerKey(0).build());
        assertTrue(e.getMessage().startsWith("maxHistoryPerKey "), e.getMessage());
        NullPointerException npe = assertThrows(
                NullPointerException.class,
                () -> SyncConfig.builder().subnet(null).build());
        assertEquals("subnet", npe.getMessage());
    }

    @Test
    void theOnlyWayInIsTheValidatingBuilder() {
        for (Constructor<?> c : SyncConfig.class.getDeclaredConstructors()) {
            assertTrue(Modifier.isPrivate(c.getModifiers()), c.toString());
            assertEquals(List.of(SyncConfig.Builder.class), List.of(c.getParameterTypes()), c.toString());
        }
        assertTrue(Modifier.isFinal(SyncConfig.class.getModifiers()));
    }

    @Test
    void equalBuildersGiveEqualConfigs() {
        MeshConfig mesh = MeshConfig.builder().port(4444).build();
        SyncConfig a = SyncConfig.builder()
                .mesh(mesh)
                .subnet("d")
                .leasing(false)
                .announceLeasing(true)
                .maxHistoryPerKey(9)
                .build();
        SyncConfig b = SyncConfig.builder()
                .mesh(mesh.toBuilder().build())
                .subnet("d")
                .leasing(false)
                .announceLeasing(true)
                .maxHistoryPerKey(9)
                .build();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(a, a.toBuilder().build());
        assertNotEquals(a, a.toBuilder().announceLeasing(null).build());
        assertTrue(a.toString().startsWith("SyncConfig[mesh=MeshConfig[bindHost=127.0.0.1, port=4444, "), a.toString());
        assertTrue(a.toString().contains(", subnet=d, leasing=false, announceLeasing=true, "), a.toString());
    }
}
