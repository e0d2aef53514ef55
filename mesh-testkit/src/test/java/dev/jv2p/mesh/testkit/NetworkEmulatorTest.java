package dev.jv2p.mesh.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshException;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.Message;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The emulator's rules on links between real nodes, in virtual time. */
class NetworkEmulatorTest {

    @Test
    void aDelayedLinkDeliversExactlyThatLateAndInOrder() {
        try (TestMesh mesh = TestMesh.virtual()) {
            MeshSocket a = mesh.start("a");
            MeshSocket b = mesh.start("b");
            mesh.joinAndAwait(a, b);
            mesh.network().delay("a", "b", Duration.ofSeconds(3));
            a.send(List.of("first"));
            a.send(List.of("second"));
            mesh.time().advance(Duration.ofMillis(2999));
            assertNull(b.recv(), "delivered before the delay had passed");
            mesh.time().advance(Duration.ofMillis(1));
            Message first = b.recv();
            assertNotNull(first, "not delivered once the delay had passed");
            assertEquals(List.of("first"), first.packets().subList(1, 2));
            assertEquals(List.of("second"), b.recv().packets().subList(1, 2));
        }
    }

    @Test
    void aDroppedDirectionLosesWhatIsSentOverItAndOnlyThat() {
        try (TestMesh mesh = TestMesh.virtual()) {
            MeshSocket a = mesh.start("a");
            MeshSocket b = mesh.start("b");
            mesh.joinAndAwait(a, b);
            mesh.network().drop("a", "b");
            a.send(List.of("lost"));
            b.send(List.of("kept"));
            mesh.time().runUntilIdle();
            assertNull(b.recv());
            assertEquals(List.of("kept"), a.recv().packets().subList(1, 2));

            mesh.network().restore();
            a.send(List.of("after"));
            mesh.time().runUntilIdle();
            assertEquals(List.of("after"), b.recv().packets().subList(1, 2));
        }
    }

    @Test
    void aPartitionCutsTheLinksBetweenItsSidesUntilHealed() {
        try (TestMesh mesh = TestMesh.virtual()) {
            MeshSocket a = mesh.start("a");
            MeshSocket b = mesh.start("b");
            MeshSocket c = mesh.start("c");
            mesh.joinAndAwait(a, b);
            mesh.joinAndAwait(c, b);
            mesh.network().partition(List.of("c"));
            mesh.awaitCondition(
                    () -> !b.routingTable().containsKey(c.id())
                            && c.routingTable().isEmpty(),
                    "the cut links stayed");
            assertTrue(b.routingTable().containsKey(a.id()), "a link within one side was cut");
            assertTrue(c.connect("b", b.localAddress().getPort()).isCompletedExceptionally());

            mesh.network().heal();
            mesh.joinAndAwait(c, b);
            assertThrows(IllegalArgumentException.class, () -> mesh.network().partition(List.of("nobody")));
        }
    }

    @Test
    void aNodeMustBindItsOwnName() {
        try (TestMesh mesh = TestMesh.virtual()) {
            // a node bound to another name would escape the emulator's rules
            MeshException e = assertThrows(MeshException.class, () -> mesh.start("a", b -> b.bindHost("someone-else")));
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
            assertTrue(
                    e.getCause().getMessage().contains("a node binds its name"),
                    e.getCause().getMessage());
        }
    }
}
