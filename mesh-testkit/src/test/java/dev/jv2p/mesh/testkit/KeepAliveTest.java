package dev.jv2p.mesh.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.Protocol;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keep-alive between jv2p nodes under either codec, in virtual time: nodes ping every 200 ms
 * and drop a peer silent for 2 s.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"msgpack", "protobuf"})
class KeepAliveTest {
    private final UnaryOperator<MeshConfig.Builder> config;

    KeepAliveTest(String codec) {
        this.config = b -> b.protocol(Protocol.defaultMesh().withCodec(codec))
                .keepAliveInterval(Duration.ofMillis(200))
                .keepAliveTimeout(Duration.ofSeconds(2));
    }

    /**
     * A peer whose connection stays open but which answers no ping (a process stopped by
     * SIGSTOP, a host that vanished without a FIN: here, everything it sends or is sent is lost)
     * is dropped once the keep-alive timeout has passed, not before; a live jv2p peer stays.
     */
    @Test
    void aFrozenJv2pPeerIsDroppedWithinTheKeepAliveTimeout() {
        try (TestMesh mesh = TestMesh.virtual()) {
            MeshSocket a = mesh.start("a", config);
            MeshSocket frozen = mesh.start("frozen", config);
            MeshSocket c = mesh.start("c", config);
            mesh.joinAndAwait(frozen, a);
            mesh.joinAndAwait(c, a);
            mesh.awaitCondition(
                    () -> a.routingTable().size() == 2
                            && a.routingTable().values().stream().allMatch(p -> p.jv2p()),
                    "a did not learn that its peers are jv2p nodes");

            mesh.network().isolate("frozen");
            Duration after =
                    mesh.time().advanceUntil(() -> !a.routingTable().containsKey(frozen.id()), Duration.ofSeconds(5));
            assertTrue(
                    after.compareTo(Duration.ofMillis(1500)) >= 0,
                    "dropped after " + after + ", before the 2 s keep-alive timeout could pass");
            assertTrue(a.routingTable().containsKey(c.id()), "a live jv2p peer must stay");
        }
    }
}
