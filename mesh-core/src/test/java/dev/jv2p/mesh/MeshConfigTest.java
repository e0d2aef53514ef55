package dev.jv2p.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link MeshConfig} is a value: validated when made, equal when its values are. */
class MeshConfigTest {

    @Test
    void anInvalidValueIsRefusedAtConstructionNamingTheField() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> MeshConfig.builder().port(70_000).build());
        assertEquals("MeshConfig.port must be 0..65535, was 70000", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> MeshConfig.builder()
                        .keepAliveInterval(Duration.ofSeconds(5))
                        .keepAliveTimeout(Duration.ofSeconds(5))
                        .build());
        assertTrue(e.getMessage().startsWith("MeshConfig.keepAliveTimeout "), e.getMessage());
        NullPointerException npe = assertThrows(
                NullPointerException.class,
                () -> MeshConfig.builder().clock(null).build());
        assertEquals("clock", npe.getMessage());
    }

    @Test
    void theOnlyWayInIsTheValidatingBuilder() {
        for (Constructor<?> c : MeshConfig.class.getDeclaredConstructors()) {
            assertTrue(Modifier.isPrivate(c.getModifiers()), c.toString());
            assertEquals(List.of(MeshConfig.Builder.class), List.of(c.getParameterTypes()), c.toString());
        }
        assertTrue(Modifier.isFinal(MeshConfig.class.getModifiers()));
    }

    @Test
    void equalBuildersGiveEqualConfigs() {
        Clock clock = Clock.systemUTC();
        MeshConfig a = MeshConfig.builder()
                .port(4444)
                .salt("s")
                .announcedCompression(List.of(1, 2))
                .clock(clock)
                .redialFor(Duration.ZERO)
                .build();
        MeshConfig b = MeshConfig.builder()
                .port(4444)
                .salt("s")
                .announcedCompression(List.of(1, 2))
                .clock(clock)
                .redialFor(Duration.ZERO)
                .build();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(a, a.toBuilder().build());
        assertNotEquals(a, a.toBuilder().port(4445).build());
        assertNotEquals(a, a.toBuilder().announcedCompression(List.of(2, 1)).build());
    }

    @Test
    void toStringNamesEveryValue() {
        String s = MeshConfig.builder().port(4444).salt("pepper").build().toString();
        assertTrue(s.startsWith("MeshConfig[bindHost=127.0.0.1, port=4444, "), s);
        assertTrue(s.contains(", salt=pepper, "), s);
        assertTrue(s.contains(", maxFrameLength=8388608, "), s);
    }

    @Test
    void theListsCannotBeChangedThroughTheConfigOrTheBuilder() {
        MeshConfig.Builder builder = MeshConfig.builder().announcedCompression(List.of(1));
        MeshConfig c = builder.build();
        builder.announcedCompression(List.of(1, 2));
        assertEquals(List.of(1), c.announcedCompression());
        assertThrows(
                UnsupportedOperationException.class,
                () -> c.announcedCompression().add(3));
    }
}
