package dev.jv2p.it.js2p;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Proves the js2p harness with js2p alone: real js2p 0.7.870 nodes talking to each other. */
@ExtendWith(Js2pLogsOnFailure.class)
class Js2pHarnessIT {
    private static final Duration T = Duration.ofSeconds(20);
    /** Spec §8.2. */
    private static final String MESH_PROTOCOL_ID = "EpAmyZWv9rZUKmjQgU3FTUD4GrJHvVEXizmghVBc8eGD";

    private static final String SYNC1_PROTOCOL_ID = "p7sAnBsK3n5enFXH7vEGQjzS6t6RH1CeEoYekNjr5Jn";
    private static final String SYNC0_PROTOCOL_ID = "EB8PreScNDAFMALGBs1uyocDXLXCxZKzWEP5oR6VVh2z";

    private final List<Js2pNode> nodes = new ArrayList<>();

    @AfterEach
    void closeNodes() {
        for (Js2pNode n : nodes) {
            n.close();
        }
        for (Js2pNode n : nodes) {
            assertTrue(!n.isAlive(), n + " still running after close()");
        }
    }

    private Js2pNode start(Js2pNode.Builder builder) {
        Js2pNode n = builder.start();
        nodes.add(n);
        return n;
    }

    /** b dials a; returns once each has the other in its routing table. */
    private static void link(Js2pNode dialer, Js2pNode listener) {
        assertNull(dialer.connect(listener));
        listener.awaitPeer(dialer.id(), T);
        dialer.awaitPeer(listener.id(), T);
    }

    @Test
    void meshBroadcastArrivesExactlyOnceAndReplyComesBack() {
        Js2pNode a = start(Js2pNode.mesh().name("a"));
        Js2pNode b = start(Js2pNode.mesh().name("b"));
        assertEquals(MESH_PROTOCOL_ID, a.protocolId());
        assertEquals("mesh", a.subnet());
        assertTrue(a.port() != b.port());

        link(b, a);
        // js2p's 'connect' fires before the peer is added (spec §15.25)
        assertEquals(0, a.awaitEvent(e -> e.is(Js2pEvent.CONNECT), T).routingTableSize());
        assertEquals(0, b.awaitEvent(e -> e.is(Js2pEvent.CONNECT), T).routingTableSize());
        assertEquals(Set.of(b.id()), a.peerIds());
        Js2pNode.Peer aAtB = b.routingTable().get(0);
        assertEquals(a.id(), aAtB.id());
        assertEquals("127.0.0.1", aAtB.host());
        assertEquals(a.port(), aAtB.port());
        assertTrue(aAtB.outgoing());
        assertEquals(List.of(19L, 17L), aAtB.compression());

        Map<String, Object> map = new LinkedHashMap<>();
        map.put("k", "v");
        map.put("n", -7L);
        List<Object> payload =
                Arrays.asList("hello", 42L, new byte[] {0, 1, (byte) 0xff}, 1.5, true, null, map, List.of(1L, "x"));
        b.send(payload);

        Js2pEvent m = a.awaitMessage(e -> "hello".equals(e.userPackets().get(0)), T);
        assertEquals(b.id(), m.sender());
        assertEquals(0, m.mainFlag());
        assertEquals(0L, m.packets().get(0), "js2p's packets start with the sub-flag");
        assertTrue(Js2pJson.deepEquals(payload, m.userPackets()), "payload round trip: " + m);
        assertArrayEquals(
                new byte[] {0, 1, (byte) 0xff}, (byte[]) m.userPackets().get(2));
        assertInstanceOf(Double.class, m.userPackets().get(3));
        assertTrue(m.msgId().matches("[0-9a-f]{64}"), m.msgId());

        a.reply(m.msgId(), List.of("ack"));
        Js2pEvent r = b.awaitMessage(List.of("ack"), T);
        assertEquals(a.id(), r.sender());
        assertEquals(2, r.mainFlag());
        assertEquals(List.of(2L, "ack"), r.packets());

        // Exactly once: a later broadcast on the same (ordered) connection has arrived, so any
        // duplicate of the first one would have arrived before it.
        b.send(List.of("sentinel"));
        a.awaitMessage(List.of("sentinel"), T);
        assertEquals(
                1,
                a.events(e -> e.is(Js2pEvent.MESSAGE)
                                && "hello".equals(e.userPackets().get(0)))
                        .size());
        a.reply(List.of("sentinel-ack")); // reply to the last received message
        b.awaitMessage(List.of("sentinel-ack"), T);
        assertEquals(
                0,
                b.events(e -> e.is(Js2pEvent.MESSAGE)
                                && "hello".equals(e.userPackets().get(0)))
                        .size(),
                "the originator must not get its own broadcast back");

        assertEquals("Nominal", a.status());
        assertEquals("Nominal", b.status());
        assertEquals(List.of(), a.exceptions());
        assertEquals(List.of(), b.exceptions());
    }

    @Test
    void syncSetIsVisibleOnPeerWithOwnerMetadata() {
        Js2pNode a = start(Js2pNode.sync().name("a"));
        Js2pNode b = start(Js2pNode.sync().name("b"));
        assertEquals(SYNC1_PROTOCOL_ID, a.protocolId(), "leasing omitted announces sync1 (spec §12.6)");
        link(b, a);

        a.set("greeting", "world");
        Js2pEvent local = a.awaitUpdate("greeting", "world", T);
        assertEquals(a.id(), local.owner());
        assertEquals("bin", local.keyType());

        Js2pEvent remote = b.awaitUpdate("greeting", "world", T);
        assertEquals(a.id(), remote.owner());
        assertEquals("bin", remote.keyType(), "live stores carry the key as bin (spec §15.5)");
        // set() stamps the local metadata and the packet separately; a second boundary may fall between
        assertTrue(
                remote.timestamp() >= local.timestamp() && remote.timestamp() <= local.timestamp() + 1,
                local.timestamp() + " vs " + remote.timestamp());
        assertEquals("world", b.get("greeting"));
        Js2pNode.Item item = b.itemMap().get("greeting");
        assertEquals(a.id(), item.owner());
        assertEquals(remote.timestamp(), item.timestamp());
        assertEquals(List.of("greeting"), b.keys());

        a.applyDelta("map", Map.of("x", 1L));
        Js2pEvent delta = b.awaitUpdate("map", Map.of("x", 1L), T);
        assertEquals(a.id(), delta.owner());
        b.applyDelta("map", Map.of("y", new byte[] {7}));
        Js2pEvent merged = a.awaitUpdate("map", Map.of("x", 1L, "y", new byte[] {7}), T);
        assertEquals(b.id(), merged.owner(), "default leasing accepts another owner's delta");

        // A node joining later gets the store as join transfers (str keys, owner from the packet).
        Js2pNode c = start(Js2pNode.sync().name("c"));
        link(c, a);
        Js2pEvent transfer = c.awaitUpdate("greeting", "world", T);
        assertEquals("str", transfer.keyType());
        assertEquals(a.id(), transfer.owner());
        assertEquals(local.timestamp(), transfer.timestamp(), "a transfers its own metadata");
        Js2pEvent mapTransfer = c.awaitUpdate("map", T);
        assertEquals(b.id(), mapTransfer.owner());
        assertTrue(Js2pJson.deepEquals(Map.of("x", 1L, "y", new byte[] {7}), mapTransfer.updateValue()));

        for (Js2pNode n : List.of(a, b, c)) {
            assertEquals(List.of(), n.exceptions(), n.toString());
        }
    }

    @Test
    void delThrowsLocallyAndSendsNothing() {
        Js2pNode a = start(Js2pNode.sync().name("a"));
        Js2pNode b = start(Js2pNode.sync().name("b"));
        link(b, a);
        a.set("k", "v");
        b.awaitUpdate("k", "v", T);

        Js2pCommandException e = assertThrows(Js2pCommandException.class, () -> a.del("k"));
        assertEquals("del", e.command());
        assertEquals("TypeError", e.jsName());
        assertEquals("Cannot read properties of null (reading 'toString')", e.jsMessage());
        assertTrue(e.jsStack().contains("del"), e.jsStack());

        assertEquals("v", a.get("k"), "the key survives locally (spec §12.4)");
        // Nothing was sent: a later store on the same ordered connection arrives alone.
        a.set("after", 1L);
        b.awaitUpdate("after", 1L, T);
        assertEquals("v", b.get("k"));
        assertEquals(List.of(), a.events(Js2pEvent.DELETE));
        assertEquals(List.of(), b.events(Js2pEvent.DELETE));
        assertEquals(List.of(), b.exceptions());
        assertEquals(Set.of(a.id()), b.peerIds());
        assertEquals("Nominal", a.status(), "a thrown command is not a connection exception");
    }

    @Test
    void nilStoreOnTheWireIsReportedAsConnectionException() {
        Js2pNode a = start(Js2pNode.sync().name("a"));
        Js2pNode b = start(Js2pNode.sync().name("b"));
        link(b, a);

        // js2p's own send(packets, flag, type) can emit the nil-valued store that del() means to send.
        a.send(Arrays.asList(new byte[] {'k'}, null), 0, 11);

        Js2pEvent ex = b.awaitException(T);
        assertEquals("connection", ex.source());
        assertEquals("TypeError", ex.errorName());
        assertEquals("Cannot read properties of null (reading 'toString')", ex.errorMessage());
        b.awaitPeerRemoved(a.id(), T); // js2p drops the connection that delivered it (spec §14)
        a.awaitPeerRemoved(b.id(), T);
        Object status = b.status();
        assertInstanceOf(List.class, status);
        assertEquals(1, ((List<?>) status).size());
        assertNull(b.get("k"));
        assertEquals(List.of(), b.events(Js2pEvent.DELETE));
    }

    @Test
    void leasingFalseUsesSeparateProtocol() {
        Js2pNode off = start(Js2pNode.sync().leasing(false).name("off"));
        Js2pNode on = start(Js2pNode.sync().leasing(true).name("on"));
        assertEquals(SYNC0_PROTOCOL_ID, off.protocolId());
        assertEquals(SYNC1_PROTOCOL_ID, on.protocolId());
        assertEquals(Boolean.FALSE, Js2pJson.toValue(off.readyInfo().get("leasing")));
    }

    @Test
    void aDeadDriverFailsWaitsAndCommandsAtOnce() {
        Js2pNode a = start(Js2pNode.mesh().name("doomed"));
        a.kill();
        AssertionError e = assertThrows(AssertionError.class, () -> a.awaitEvent(ev -> false, Duration.ofMinutes(5)));
        assertTrue(e.getMessage().contains("driver exited"), e.getMessage());
        assertThrows(RuntimeException.class, () -> a.status());
    }

    @Test
    void occupiedFixedPortFailsWithAddressInUse() throws IOException {
        Js2pInstall.ensureInstalled(); // skip/fail for a missing Node.js here, not inside assertThrows
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> start(Js2pNode.mesh().port(taken.getLocalPort()).name("taken")));
            assertTrue(String.valueOf(e.getCause()).contains("EADDRINUSE"), String.valueOf(e.getCause()));
        }
    }
}
