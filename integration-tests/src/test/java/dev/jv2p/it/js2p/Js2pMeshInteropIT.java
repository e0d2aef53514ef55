package dev.jv2p.it.js2p;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jv2p.codec.msgpack.MsgpackCodec;
import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshListener;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.MeshStats;
import dev.jv2p.mesh.Message;
import dev.jv2p.mesh.PeerInfo;
import dev.jv2p.mesh.internal.wire.Frames;
import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.mesh.spi.Values;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * jv2p {@link MeshSocket} nodes against real js2p 0.7.870 MeshSocket nodes (spec
 * {@code p2p-today-0.7-wire.md}): handshakes in both dialing directions, broadcasts and
 * whispers with every value type, replies, 3-node chains with a relay of either kind,
 * compression in both directions, and keep-alive that never drops a js2p peer.
 *
 * <p>"Exactly once" is proven without sleeping: links are ordered, and every node relays or
 * echoes a message as soon as it receives it, so once a later marker has arrived over the same
 * links, any second copy would already have arrived too.
 */
@ExtendWith(Js2pLogsOnFailure.class)
class Js2pMeshInteropIT {
    private static final Duration T = Duration.ofSeconds(20);
    private static final HexFormat HEX = HexFormat.of();
    private static final String LOOPBACK = "127.0.0.1";

    private final List<Js2pNode> jsNodes = new ArrayList<>();
    private final List<MeshSocket> jvNodes = new ArrayList<>();

    @AfterEach
    void closeNodes() {
        try {
            for (MeshSocket n : jvNodes) {
                n.close();
            }
        } finally {
            for (Js2pNode n : jsNodes) {
                n.close();
            }
        }
        for (MeshSocket n : jvNodes) {
            assertTrue(n.isClosed(), n + " not closed");
        }
        for (Js2pNode n : jsNodes) {
            assertFalse(n.isAlive(), n + " still running after close()");
        }
    }

    // =========================================================================== 1. handshakes

    @Test
    void jv2pDialsJs2pAndEachIsInTheOthersRoutingTable() throws Exception {
        JsNode js = js("js");
        JvNode jv = jv("jv", b -> b.advertisedHost("localhost"));
        CountDownLatch connectEvent = new CountDownLatch(1);
        jv.socket.addListener(new MeshListener() {
            @Override
            public void onConnect(MeshSocket socket) {
                connectEvent.countDown();
            }
        });

        PeerInfo info = jv.socket.connect(LOOPBACK, js.port()).get(T.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(js.id(), info.id());
        assertEquals(LOOPBACK, info.advertisedHost(), "js2p advertises its bind address");
        assertEquals(js.port(), info.advertisedPort());
        assertEquals(js.port(), info.remoteAddress().getPort());
        assertTrue(info.outgoing());
        assertEquals(List.of(0x13, 0x11), info.compression(), "js2p announces [zlib, gzip] (spec §5.1)");
        assertTrue(connectEvent.await(T.toMillis(), TimeUnit.MILLISECONDS), "jv2p connect event");

        js.node.awaitPeer(jv.id(), T);
        assertEquals(0, js.node.awaitEvent(e -> e.is(Js2pEvent.CONNECT), T).routingTableSize());
        Js2pNode.Peer atJs = single(js.node.routingTable());
        assertEquals(jv.id(), atJs.id());
        assertEquals("localhost", atJs.host(), "js2p keeps the advertised host, not the TCP endpoint");
        assertEquals(jv.port(), atJs.port());
        assertFalse(atJs.outgoing());
        assertEquals(List.of(), atJs.compression(), "jv2p announces [] by default");

        roundTrip(jv, js, "jv2p-dialed");
        assertEquals(Set.of(js.id()), jv.socket.routingTable().keySet());
        assertFalse(jv.socket.routingTable().get(js.id()).jv2p(), "a js2p peer never says the jv2p hello");
        assertEquals(Set.of(jv.id()), js.node.peerIds());
        assertEquals(0, js.node.awaitingCount());
        assertJs2pHealthy(js);
    }

    @Test
    void js2pDialsJv2pAndEachIsInTheOthersRoutingTable() throws Exception {
        JsNode js = js("js");
        int advertisedPort = Js2pNode.freePort(LOOPBACK); // announced only; nobody dials it here
        JvNode jv = jv("jv", b -> b.advertisedHost("localhost").advertisedPort(advertisedPort));
        assertNotEquals(advertisedPort, jv.port());

        assertNull(js.node.connect(LOOPBACK, jv.port()));
        js.node.awaitPeer(jv.id(), T);
        await().atMost(T).until(() -> jv.socket.routingTable().containsKey(js.id()));

        PeerInfo info = jv.socket.routingTable().get(js.id());
        assertFalse(info.outgoing());
        assertEquals(LOOPBACK, info.advertisedHost());
        assertEquals(js.port(), info.advertisedPort());
        assertNotEquals(js.port(), info.remoteAddress().getPort(), "js2p dials from an ephemeral port");
        assertEquals(List.of(0x13, 0x11), info.compression());

        Js2pNode.Peer atJs = single(js.node.routingTable());
        assertEquals(jv.id(), atJs.id());
        assertTrue(atJs.outgoing());
        assertEquals("localhost", atJs.host());
        assertEquals(advertisedPort, atJs.port(), "js2p records the advertised port from the handshake");
        assertEquals(List.of(), atJs.compression());

        roundTrip(jv, js, "js2p-dialed");
        assertEquals(Set.of(js.id()), jv.socket.routingTable().keySet());
        assertFalse(jv.socket.routingTable().get(js.id()).jv2p());
        assertEquals(Set.of(jv.id()), js.node.peerIds());
        assertJs2pHealthy(js);
    }

    // =========================================================================== 2. broadcasts

    @Test
    void broadcastsCarryEveryValueTypeIntactAndArriveExactlyOnceInBothDirections() throws Exception {
        JsNode js = js("js");
        JvNode jv = jv("jv");
        jvDials(jv, js);

        // jv2p -> js2p
        List<Object> fromJv = mixed("mixed-from-jv");
        long before = nowSeconds();
        jv.broadcast(fromJv);
        Js2pEvent atJs = js.awaitEvent("mixed-from-jv");
        assertEquals(jv.id(), atJs.sender());
        assertEquals(Flags.BROADCAST, atJs.mainFlag());
        assertEquals(0L, atJs.packets().get(0), "sub-flag broadcast");
        assertTrue(Js2pJson.deepEquals(fromJv, atJs.userPackets()), "at js2p: " + atJs.userPackets());
        assertInstanceOf(Double.class, atJs.userPackets().get(indexOf(fromJv, 1.5)));
        assertTrue(atJs.time() >= before && atJs.time() <= nowSeconds(), "time " + atJs.time());
        jv.broadcast(List.of("marker-jv"));
        js.awaitTag("marker-jv");
        assertEquals(1, js.got("mixed-from-jv").size(), "exactly once at js2p");

        // js2p -> jv2p
        List<Object> fromJs = mixed("mixed-from-js");
        before = nowSeconds();
        js.broadcast(fromJs);
        Message atJv = jv.awaitMessage(tag("mixed-from-js"));
        assertEquals(js.id(), atJv.sender());
        assertEquals(Flags.BROADCAST, atJv.mainFlag());
        assertEquals(Flags.BROADCAST, atJv.subFlag());
        List<Object> received = atJv.packets().subList(1, atJv.packets().size());
        List<Object> expected = new ArrayList<>(fromJs);
        // msgpack-lite writes integers outside the signed 32-bit range as float64 (spec §15.19)
        expected.set(indexOf(fromJs, 1L << 40), (double) (1L << 40));
        expected.set(indexOf(fromJs, -(1L << 33)), (double) -(1L << 33));
        assertTrue(Values.deepEquals(expected, received), "at jv2p: " + Values.toString(received));
        assertEquals(Long.class, received.get(indexOf(fromJs, 42L)).getClass());
        assertEquals(
                Long.class,
                received.get(indexOf(fromJs, (long) Integer.MAX_VALUE)).getClass());
        assertEquals(Double.class, received.get(indexOf(fromJs, 1.5)).getClass());
        int bin = indexOf(fromJs, new byte[] {0, 1, (byte) 0xff});
        assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, (byte[]) received.get(bin));
        assertTrue(atJv.time() >= before && atJv.time() <= nowSeconds(), "time " + atJv.time());
        js.broadcast(List.of("marker-js"));
        jv.awaitMessage(tag("marker-js"));
        assertEquals(1, jv.got("mixed-from-js").size(), "exactly once at jv2p");
        assertEquals(0, jv.got("mixed-from-jv").size(), "js2p must not echo a broadcast to its originator");

        jv.broadcast(List.of("last"));
        js.awaitTag("last");
        assertEquals(0, js.got("mixed-from-js").size(), "jv2p must not echo a broadcast to its originator");
        assertEquals(0, jv.socket.stats().duplicatesDropped(), "nothing came back to be dropped");
        assertJs2pHealthy(js);
    }

    // =========================================================================== 3. whispers and replies

    @Test
    void repliesAndWhispersWorkInBothDirections() throws Exception {
        JsNode js = js("js");
        JvNode jv = jv("jv");
        jsDials(js, jv);

        // js2p replies to a jv2p broadcast
        jv.broadcast(List.of("question-from-jv", 1L));
        Js2pEvent q = js.awaitEvent("question-from-jv");
        js.node.reply(q.msgId(), List.of("answer-from-js", new byte[] {4, 2}));
        Message a = jv.awaitMessage(tag("answer-from-js"));
        assertEquals(js.id(), a.sender());
        assertEquals(Flags.WHISPER, a.mainFlag());
        assertEquals(Flags.WHISPER, a.subFlag());
        assertTrue(
                Values.deepEquals(List.of(2L, "answer-from-js", new byte[] {4, 2}), a.packets()),
                Values.toString(a.packets()));

        // jv2p replies (Message.reply) to a js2p broadcast
        js.broadcast(List.of("question-from-js", 2L));
        Message q2 = jv.awaitMessage(tag("question-from-js"));
        q2.reply(List.of("answer-from-jv", Map.of("ok", true)));
        Js2pEvent a2 = js.awaitEvent("answer-from-jv");
        assertEquals(jv.id(), a2.sender());
        assertEquals(Flags.WHISPER, a2.mainFlag());
        assertTrue(Js2pJson.deepEquals(List.of(2L, "answer-from-jv", Map.of("ok", true)), a2.packets()), a2.toString());
        // js2p can reply to a reply
        js.node.reply(a2.msgId(), List.of("answer-to-answer"));
        assertEquals(js.id(), jv.awaitMessage(tag("answer-to-answer")).sender());

        // plain whispers
        assertTrue(jv.socket.whisper(js.id(), List.of("whisper-from-jv", 3.25)));
        Js2pEvent w = js.awaitEvent("whisper-from-jv");
        assertEquals(Flags.WHISPER, w.mainFlag());
        assertTrue(Js2pJson.deepEquals(List.of(2L, "whisper-from-jv", 3.25), w.packets()));
        js.node.whisper(jv.id(), List.of("whisper-from-js", -1L));
        Message w2 = jv.awaitMessage(tag("whisper-from-js"));
        assertEquals(Flags.WHISPER, w2.mainFlag());
        assertEquals(List.of(2L, "whisper-from-js", -1L), w2.packets());

        // whispers are never relayed or echoed: each side got exactly its own
        assertEquals(1, jv.got("answer-from-js").size());
        assertEquals(1, js.got("answer-from-jv").size());
        assertEquals(1, js.got("whisper-from-jv").size());
        assertJs2pHealthy(js);
    }

    @Test
    void jv2pRepliesToANonNeighbourFoundThroughAJs2pRelay() throws Exception {
        JvNode a = jv("A", b -> b.dialPeerLists(false));
        JsNode b = js("B");
        JvNode c = jv("C", x -> x.dialPeerLists(false));
        jvDials(a, b);
        jvDials(c, b);
        assertFalse(a.socket.routingTable().containsKey(c.id()));

        a.broadcast(List.of("who is there?"));
        Message question = c.awaitMessage(tag("who is there?"));
        assertEquals(a.id(), question.sender());
        assertEquals(b.id(), question.via().id(), "relayed by js2p");
        // C has no link to A: it asks for A's address (spec §11); js2p B answers from its table
        question.reply(List.of("C here"));
        Message answer = a.awaitMessage(tag("C here"));
        assertEquals(c.id(), answer.sender());
        assertEquals(Flags.WHISPER, answer.mainFlag());
        assertEquals(List.of(2L, "C here"), answer.packets());
        assertEquals(c.id(), answer.via().id(), "delivered over the link C dialed to A");
        assertTrue(a.socket.routingTable().containsKey(c.id()));

        // A answered the relayed lookup too; its response crossed js2p B before this marker
        a.broadcast(List.of("after"));
        b.awaitTag("after");
        assertEquals(Set.of(a.id(), c.id()), b.node.peerIds());
        assertEquals(
                List.of("who is there?", "after"),
                b.node.events(Js2pEvent.MESSAGE).stream()
                        .map(e -> first(e.userPackets()))
                        .toList(),
                "requests and responses are not user messages at js2p");
        assertJs2pHealthy(b);
    }

    // =========================================================================== 4. chains

    /**
     * jv2p A - js2p B - jv2p C. A and C end broadcasts are relayed by js2p byte for byte. B stamps
     * each copy separately (spec §10.3): each end gets exactly one copy, with times at most a
     * second apart, and the two copies share an id exactly when they share a time.
     */
    @Test
    void chainJv2pJs2pJv2pDeliversEveryBroadcastExactlyOnce() throws Exception {
        JvNode a = jv("A", x -> x.dialPeerLists(false));
        JsNode b = js("B");
        JvNode c = jv("C", x -> x.dialPeerLists(false));
        // js2p's connect() refuses a host or port that a routing-table peer already has (on
        // loopback every peer has 127.0.0.1), so B dials first and C dials B.
        jsDials(b, a);
        jvDials(c, b);
        Chain chain = new Chain(a, b, c);

        for (Node origin : List.of(a, c)) {
            Map<Node, Got> got = chain.broadcastFrom(origin);
            Got[] copies = got.values().toArray(Got[]::new);
            assertEquals(copies[0].idHex(), copies[1].idHex(), "a relay forwards the bytes it received");
            assertEquals(copies[0].time(), copies[1].time());
        }

        Map<Node, Got> fromMiddle = chain.broadcastFrom(b);
        Got atA = fromMiddle.get(a);
        Got atC = fromMiddle.get(c);
        assertTrue(Math.abs(atA.time() - atC.time()) <= 1, atA + " vs " + atC);
        assertEquals(
                atA.time() == atC.time(),
                atA.idHex().equals(atC.idHex()),
                "same content from the same sender: same id exactly when the time is the same");

        // an end has one peer, and js2p never sends a broadcast back to its originator
        assertEquals(0, a.socket.stats().duplicatesDropped());
        assertEquals(0, c.socket.stats().duplicatesDropped());
        chain.assertStillAChain();
    }

    /**
     * js2p A - jv2p B - js2p C. The jv2p relay forwards the received bytes (same id at both
     * ends); js2p relays back to the previous hop (spec §10.2) and B drops each such echo as a
     * duplicate; B stamps its own broadcast once, so both ends see the same id and time.
     */
    @Test
    void chainJs2pJv2pJs2pDeliversEveryBroadcastExactlyOnce() throws Exception {
        JsNode a = js("A");
        JvNode b = jv("B", x -> x.dialPeerLists(false));
        JsNode c = js("C");
        jsDials(a, b);
        jvDials(b, c);
        Chain chain = new Chain(a, b, c);

        for (Node origin : List.of(a, c)) {
            long dropped = b.socket.stats().duplicatesDropped();
            long relayed = b.socket.stats().relayed();
            Map<Node, Got> got = chain.broadcastFrom(origin);
            Got[] copies = got.values().toArray(Got[]::new);
            assertEquals(copies[0].idHex(), copies[1].idHex(), "jv2p must forward the bytes it received");
            assertEquals(copies[0].time(), copies[1].time());
            // counted after the settle whispers: the far end's echo preceded its whisper
            assertEquals(
                    dropped + 1,
                    chain.droppedBeforeFlush,
                    "the far js2p end relays the copy back to B, which drops it once");
            assertEquals(relayed + 1, chain.relayedBeforeFlush, "B relays to the far end only");
        }

        long dropped = b.socket.stats().duplicatesDropped();
        Map<Node, Got> fromMiddle = chain.broadcastFrom(b);
        assertEquals(fromMiddle.get(a).idHex(), fromMiddle.get(c).idHex(), "jv2p stamps a broadcast once");
        assertEquals(fromMiddle.get(a).time(), fromMiddle.get(c).time());
        assertEquals(dropped, chain.droppedBeforeFlush, "js2p ends do not send B's own broadcast back");
        chain.assertStillAChain();
    }

    /**
     * jv2p A - B - C with the broadcast tree on, js2p J between A and C, js2p K behind B. Every
     * node's broadcasts reach every other node exactly once: the jv2p nodes prune and announce
     * among themselves (the cycle through J makes B or C see a copy twice), and the links to the
     * js2p nodes are flooded as without the tree.
     */
    @Test
    void js2pNodesBetweenAndBehindBroadcastTreeNodesDeliverEveryBroadcastOnce() throws Exception {
        UnaryOperator<MeshConfig.Builder> tree = x -> x.dialPeerLists(false).broadcastTree(true);
        JvNode a = jv("A", tree);
        JvNode b = jv("B", tree);
        JvNode c = jv("C", tree);
        JsNode j = js("J");
        JsNode k = js("K");
        jvDialsJv(b, a);
        jvDialsJv(c, b);
        jvDials(a, j);
        jvDials(c, j);
        jvDials(b, k);
        List<Node> all = List.of(a, b, c, j, k);
        List<String> tags = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (Node from : all) {
                String tag = "round " + round + " from " + from.name();
                tags.add(tag);
                from.broadcast(List.of(tag, (long) round));
                for (Node n : all) {
                    if (n != from) {
                        assertEquals(from.id(), n.awaitTag(tag).sender(), tag + " at " + n);
                    }
                }
            }
        }
        for (Node from : all) {
            from.broadcast(List.of("marker from " + from.name()));
        }
        for (Node n : all) {
            for (Node from : all) {
                if (n != from) {
                    n.awaitTag("marker from " + from.name());
                }
            }
        }
        for (String tag : tags) {
            for (Node n : all) {
                int expected = tag.endsWith("from " + n.name()) ? 0 : 1;
                assertEquals(expected, n.gotTag(tag).size(), "copies of '" + tag + "' at " + n);
            }
        }
        assertTrue(
                a.socket.stats().idsAnnounced()
                                + b.socket.stats().idsAnnounced()
                                + c.socket.stats().idsAnnounced()
                        > 0,
                "the jv2p nodes pruned a tree link and announced ids on it");
        assertJs2pHealthy(j);
        assertJs2pHealthy(k);
    }

    /**
     * With peer-list dialing on (the default), jv2p dials the js2p node named in a js2p peers
     * list, with its id, which js2p itself would skip on loopback (spec §9.4). In the resulting
     * triangle jv2p's broadcast reaches each js2p node once: directly, with the relayed copy
     * dropped as a duplicate.
     */
    @Test
    void jv2pDialsTheJs2pPeerNamedInAPeersList() throws Exception {
        JsNode a = js("A");
        JsNode b = js("B");
        assertNull(b.node.connect(a.node));
        a.node.awaitPeer(b.id(), T);
        JvNode c = jv("C");
        jvDials(c, a);

        await().atMost(T).until(() -> c.socket.routingTable().containsKey(b.id()));
        PeerInfo toB = c.socket.routingTable().get(b.id());
        assertTrue(toB.outgoing());
        assertEquals(b.port(), toB.advertisedPort());
        b.node.awaitPeer(c.id(), T);
        Js2pNode.Peer cAtB = b.node.routingTable().stream()
                .filter(p -> p.id().equals(c.id()))
                .findFirst()
                .orElseThrow();
        assertFalse(cAtB.outgoing());
        assertEquals(c.port(), cAtB.port());

        c.broadcast(List.of("triangle", 7L));
        a.awaitTag("triangle");
        b.awaitTag("triangle");
        // one whisper per link into A and into B: every copy sent before them has arrived
        c.whisper(a.id(), List.of("sync A from C"));
        b.whisper(a.id(), List.of("sync A from B"));
        c.whisper(b.id(), List.of("sync B from C"));
        a.whisper(b.id(), List.of("sync B from A"));
        for (String t : List.of("sync A from C", "sync A from B")) {
            a.awaitTag(t);
        }
        for (String t : List.of("sync B from C", "sync B from A")) {
            b.awaitTag(t);
        }
        a.whisper(c.id(), List.of("sync C from A"));
        b.whisper(c.id(), List.of("sync C from B"));
        c.awaitTag("sync C from A");
        c.awaitTag("sync C from B");
        assertEquals(1, a.got("triangle").size());
        assertEquals(1, b.got("triangle").size());
        assertEquals(0, c.got("triangle").size(), "js2p relays exclude the originator");
        assertEquals(0, c.socket.stats().duplicatesDropped());
        assertEquals(Set.of(a.id(), b.id()), c.socket.routingTable().keySet());
        assertEquals(Set.of(b.id(), c.id()), a.node.peerIds());
        assertEquals(Set.of(a.id(), c.id()), b.node.peerIds());
        assertJs2pHealthy(a);
        assertJs2pHealthy(b);
    }

    // =========================================================================== 5. compression

    static Stream<Arguments> compressionCases() {
        return Stream.of(
                Arguments.of(List.of(0x13), true),
                Arguments.of(List.of(0x13), false),
                Arguments.of(List.of(0x11), true),
                Arguments.of(List.of(0x11), false),
                Arguments.of(List.of(0x11, 0x13), true),
                Arguments.of(List.of(), true)); // control: nothing compressed either way
    }

    @ParameterizedTest(name = "jv2p announces {0}, jv2p dials: {1}")
    @MethodSource("compressionCases")
    void compressedFramesFlowBothWays(List<Integer> announced, boolean jv2pDials) throws Exception {
        JsNode js = js("js");
        JvNode jv = jv("jv", b -> b.announcedCompression(announced));
        if (jv2pDials) {
            jvDials(jv, js);
        } else {
            jsDials(js, jv);
        }
        assertEquals(List.of(0x13, 0x11), jv.socket.routingTable().get(js.id()).compression());
        assertEquals(
                announced.stream().map(Integer::longValue).toList(),
                single(js.node.routingTable()).compression(),
                "js2p recorded what jv2p announced");
        // small messages both ways; also lets js2p's second handshake and peers list arrive
        roundTrip(jv, js, "small");

        boolean compressed = !announced.isEmpty();
        String big = "jv2p and js2p, compressed or not. ".repeat(800); // 27 200 bytes of text

        // js2p -> jv2p: js2p compresses with the first of its [zlib, gzip] that jv2p announced
        MeshStats before = jv.socket.stats();
        js.broadcast(List.of("big-from-js", big));
        Message m = jv.awaitMessage(tag("big-from-js"));
        assertEquals(big, m.packets().get(2));
        MeshStats after = jv.socket.stats();
        assertEquals(1, after.framesIn() - before.framesIn());
        long in = after.bytesIn() - before.bytesIn();
        assertTrue(
                compressed ? in < big.length() / 10 : in > big.length(),
                "frame from js2p was " + in + " bytes for " + big.length() + " bytes of text");

        // jv2p -> js2p: jv2p compresses with the first of its own list that js2p announced
        before = jv.socket.stats();
        jv.broadcast(List.of("big-from-jv", big));
        Js2pEvent e = js.awaitEvent("big-from-jv");
        assertEquals(big, e.userPackets().get(1));
        after = jv.socket.stats();
        assertEquals(1, after.framesOut() - before.framesOut());
        long out = after.bytesOut() - before.bytesOut();
        assertTrue(
                compressed ? out < big.length() / 10 : out > big.length(),
                "frame to js2p was " + out + " bytes for " + big.length() + " bytes of text");

        // compressed whispers both ways
        js.node.reply(e.msgId(), List.of("big-reply-from-js", big));
        assertEquals(big, jv.awaitMessage(tag("big-reply-from-js")).packets().get(2));
        m.reply(List.of("big-reply-from-jv", big));
        assertEquals(big, js.awaitTag("big-reply-from-jv").userPackets().get(1));

        assertEquals(Set.of(js.id()), jv.socket.routingTable().keySet());
        assertEquals(Set.of(jv.id()), js.node.peerIds());
        assertEquals(List.of(), js.node.events(Js2pEvent.PEER_REMOVED));
        assertJs2pHealthy(js);
    }

    // =========================================================================== 6. keep-alive

    @Test
    void jv2pNeverDropsAJs2pPeerForNotAnsweringKeepAlive() throws Exception {
        UnaryOperator<MeshConfig.Builder> fastKeepAlive = b -> b.dialPeerLists(false)
                .keepAliveInterval(Duration.ofMillis(100))
                .keepAliveTimeout(Duration.ofMillis(500));
        JvNode jv = jv("jv", fastKeepAlive);
        JsNode js = js("js");
        JvNode jvPeer = jv("jv-peer", fastKeepAlive);
        jvDials(jv, js);
        jvPeer.socket.connect(LOOPBACK, jv.port()).get(T.toMillis(), TimeUnit.MILLISECONDS);
        await().atMost(T).until(() -> isJv2p(jv, jvPeer.id()));

        // Control: a peer that says the jv2p hello but never answers a ping is dropped after 500 ms.
        String silentId = "silent-jv2p-peer";
        try (Socket silent = new Socket(LOOPBACK, jv.port())) {
            MsgpackCodec codec = new MsgpackCodec();
            long t = nowSeconds();
            OutputStream out = silent.getOutputStream();
            out.write(Frames.frame(Frames.block(codec.encode(List.of(
                    (long) Flags.WHISPER,
                    silentId,
                    t,
                    (long) Flags.HANDSHAKE,
                    silentId,
                    jv.socket.protocolId(),
                    List.of(LOOPBACK, 1L),
                    List.of())))));
            out.write(Frames.frame(Frames.block(
                    codec.encode(List.of((long) Flags.WHISPER, silentId, t, (long) Flags.JV2P_HELLO, "jv2p", "0.1")))));
            out.flush();
            await().atMost(T).until(() -> isJv2p(jv, silentId));
            await().atMost(T).until(() -> !jv.socket.routingTable().containsKey(silentId));
        }

        // The js2p peer has said nothing since its handshake, yet stays for three timeouts while
        // the jv2p peer keeps being pinged (about 15 pings and 15 pongs reach it meanwhile).
        long framesAtPeer = jvPeer.socket.stats().framesIn();
        await("js2p peer stays in jv2p's routing table")
                .during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(10))
                .until(() -> jv.socket.routingTable().containsKey(js.id()));
        long keepAliveFrames = jvPeer.socket.stats().framesIn() - framesAtPeer;
        assertTrue(keepAliveFrames >= 10, "keep-alive frames on the jv2p link during the wait: " + keepAliveFrames);
        assertTrue(jv.socket.routingTable().containsKey(jvPeer.id()), "the answering jv2p peer stays too");

        roundTrip(jv, js, "still-connected");
        assertEquals(Set.of(jv.id()), js.node.peerIds());
        assertEquals(List.of(), js.node.events(Js2pEvent.PEER_REMOVED));
        assertJs2pHealthy(js);
    }

    // =========================================================================== helpers

    private static boolean isJv2p(JvNode node, String peerId) {
        PeerInfo p = node.socket.routingTable().get(peerId);
        return p != null && p.jv2p();
    }

    /** Every value type, at the extremes that matter to msgpack-lite. */
    private static List<Object> mixed(String tag) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("k", "v");
        map.put("n", -7L);
        map.put("bin", new byte[] {9, 8, 7});
        map.put("list", List.of(1L, "two"));
        map.put("nested", Map.of("deep", true));
        return Arrays.asList(
                tag,
                "héllo wörld ✓ 😀",
                "",
                42L,
                -3L,
                0L,
                (long) Integer.MAX_VALUE,
                1L << 40,
                -(1L << 33),
                new byte[] {0, 1, (byte) 0xff},
                new byte[0],
                new byte[300],
                1.5,
                -0.25,
                true,
                false,
                null,
                map,
                Map.of(),
                List.of(1L, "x", List.of()),
                List.of());
    }

    private static int indexOf(List<Object> list, Object value) {
        for (int i = 0; i < list.size(); i++) {
            if (Values.deepEquals(value, list.get(i))) {
                return i;
            }
        }
        throw new IllegalArgumentException(value + " not in " + list);
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    private static Object first(List<Object> list) {
        return list.isEmpty() ? null : list.get(0);
    }

    private static Predicate<Message> tag(String tag) {
        return m -> m.packets().size() > 1 && tag.equals(m.packets().get(1));
    }

    private static <T> T single(List<T> list) {
        assertEquals(1, list.size(), list.toString());
        return list.get(0);
    }

    /** One small broadcast each way, each side waiting for the other's. */
    private static void roundTrip(JvNode jv, JsNode js, String label) {
        jv.broadcast(List.of(label + ": jv2p to js2p", 1L));
        assertEquals(jv.id(), js.awaitTag(label + ": jv2p to js2p").sender());
        js.broadcast(List.of(label + ": js2p to jv2p", 2L));
        Message m = jv.awaitMessage(tag(label + ": js2p to jv2p"));
        assertEquals(js.id(), m.sender());
        assertEquals(List.of(0L, label + ": js2p to jv2p", 2L), m.packets());
    }

    private static void assertJs2pHealthy(JsNode js) {
        assertEquals(List.of(), js.node.exceptions(), js + " recorded exceptions");
        assertEquals("Nominal", js.node.status());
    }

    private JsNode js(String name) {
        Js2pNode n = Js2pNode.mesh().name(name).start();
        jsNodes.add(n);
        return new JsNode(name, n);
    }

    private JvNode jv(String name) {
        return jv(name, b -> b);
    }

    private JvNode jv(String name, UnaryOperator<MeshConfig.Builder> custom) {
        MeshSocket s = MeshSocket.start(
                custom.apply(MeshConfig.builder().bindHost(LOOPBACK).port(0)).build());
        jvNodes.add(s);
        return new JvNode(name, s);
    }

    /** jv2p dials js2p without an id; returns once each holds the other. */
    private static void jvDials(JvNode jv, JsNode js) throws Exception {
        PeerInfo p = jv.socket.connect(LOOPBACK, js.port()).get(T.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(js.id(), p.id());
        js.node.awaitPeer(jv.id(), T);
    }

    /** jv2p dials jv2p; returns once each holds the other. */
    private static void jvDialsJv(JvNode from, JvNode to) throws Exception {
        from.socket.connect(LOOPBACK, to.port()).get(T.toMillis(), TimeUnit.MILLISECONDS);
        await().atMost(T).until(() -> to.socket.routingTable().containsKey(from.id()));
    }

    /** js2p dials jv2p without an id; returns once each holds the other. */
    private static void jsDials(JsNode js, JvNode jv) {
        assertNull(js.node.connect(LOOPBACK, jv.port()));
        js.node.awaitPeer(jv.id(), T);
        await().atMost(T).until(() -> jv.socket.routingTable().containsKey(js.id()));
    }

    // --------------------------------------------------------------------------- nodes of both kinds

    /** A received user message, whoever received it. */
    private record Got(
            String receiver, String sender, long time, String idHex, int mainFlag, List<Object> userPackets) {}

    /** What the chain tests need from a node of either implementation. */
    private interface Node {
        String name();

        String id();

        void broadcast(List<?> packets);

        void whisper(String peerId, List<?> packets);

        /** The first user message (already received or not) whose first packet after the sub-flag is {@code tag}. */
        Got awaitTag(String tag);

        /** Every user message received so far with that tag. */
        List<Got> gotTag(String tag);

        Set<String> peerIds();
    }

    private static final class JsNode implements Node {
        final String name;
        final Js2pNode node;

        JsNode(String name, Js2pNode node) {
            this.name = name;
            this.node = node;
        }

        int port() {
            return node.port();
        }

        @Override
        public String name() {
            return name + "(js2p)";
        }

        @Override
        public String id() {
            return node.id();
        }

        @Override
        public void broadcast(List<?> packets) {
            node.send(packets);
        }

        @Override
        public void whisper(String peerId, List<?> packets) {
            node.whisper(peerId, packets);
        }

        /** As {@link #awaitTag}, but the driver's event. */
        Js2pEvent awaitEvent(String tag) {
            return node.awaitMessage(e -> tag.equals(first(e.userPackets())), T);
        }

        @Override
        public Got awaitTag(String tag) {
            return got(awaitEvent(tag));
        }

        List<Js2pEvent> got(String tag) {
            return node.events(e -> e.is(Js2pEvent.MESSAGE) && tag.equals(first(e.userPackets())));
        }

        @Override
        public List<Got> gotTag(String tag) {
            return got(tag).stream().map(this::got).toList();
        }

        private Got got(Js2pEvent e) {
            return new Got(name(), e.sender(), e.time(), e.msgId(), e.mainFlag(), e.userPackets());
        }

        @Override
        public Set<String> peerIds() {
            return node.peerIds();
        }

        @Override
        public String toString() {
            return name() + " " + id();
        }
    }

    /** A jv2p node with a record of every user message the test took from it. */
    private static final class JvNode implements Node {
        final String name;
        final MeshSocket socket;
        private final List<Message> taken = new ArrayList<>(); // test thread only

        JvNode(String name, MeshSocket socket) {
            this.name = name;
            this.socket = socket;
        }

        int port() {
            return socket.localAddress().getPort();
        }

        @Override
        public String name() {
            return name + "(jv2p)";
        }

        @Override
        public String id() {
            return socket.id();
        }

        @Override
        public void broadcast(List<?> packets) {
            socket.send(packets);
        }

        @Override
        public void whisper(String peerId, List<?> packets) {
            assertTrue(socket.whisper(peerId, packets), name() + ": " + peerId + " is not a peer");
        }

        /** The first message (already taken or still queued) matching, in arrival order. */
        Message awaitMessage(Predicate<Message> predicate) {
            for (Message m : taken) {
                if (predicate.test(m)) {
                    return m;
                }
            }
            long deadline = System.nanoTime() + T.toNanos();
            while (true) {
                long remaining = deadline - System.nanoTime();
                Message m = null;
                if (remaining > 0) {
                    try {
                        m = socket.recv(Duration.ofNanos(remaining));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
                if (m == null) {
                    return fail(name() + ": no matching message within " + T + "; received so far: " + taken
                            + "; routing table " + socket.routingTable().keySet());
                }
                taken.add(m);
                if (predicate.test(m)) {
                    return m;
                }
            }
        }

        /** Taken messages with that tag (call after awaiting a later marker). */
        List<Message> got(String tag) {
            return taken.stream().filter(tag(tag)).toList();
        }

        @Override
        public Got awaitTag(String tag) {
            return got(awaitMessage(tag(tag)));
        }

        @Override
        public List<Got> gotTag(String tag) {
            return got(tag).stream().map(this::got).toList();
        }

        private Got got(Message m) {
            return new Got(
                    name(),
                    m.sender(),
                    m.time(),
                    HEX.formatHex(m.checksum()),
                    m.mainFlag(),
                    m.packets().subList(1, m.packets().size()));
        }

        @Override
        public Set<String> peerIds() {
            return socket.routingTable().keySet();
        }

        @Override
        public String toString() {
            return name() + " " + id();
        }
    }

    // --------------------------------------------------------------------------- chains

    /** end1 - middle - end2, linked in that shape only. */
    private static final class Chain {
        final Node end1;
        final Node middle;
        final Node end2;
        final List<Node> all;
        private int step;
        /** The jv2p middle's duplicate counter after the last settle (before the flush); -1 for js2p. */
        long droppedBeforeFlush = -1;
        /** The jv2p middle's relay counter after the last settle (before the flush); -1 for js2p. */
        long relayedBeforeFlush = -1;

        Chain(Node end1, Node middle, Node end2) {
            this.end1 = end1;
            this.middle = middle;
            this.end2 = end2;
            this.all = List.of(end1, middle, end2);
            assertStillAChain();
        }

        /**
         * {@code origin} broadcasts a tagged message; every other node receives it with intact
         * packets, then (after settle and flush) the counts are checked: exactly one copy per
         * node, none back at the origin. Returns the copy each receiver got.
         */
        Map<Node, Got> broadcastFrom(Node origin) {
            step++;
            String tag = "step " + step + " from " + origin.name();
            List<Object> extra = List.of((long) step, new byte[] {(byte) step, 0, (byte) 0xfe}, "ü");
            List<Object> packets = new ArrayList<>();
            packets.add(tag);
            packets.addAll(extra);
            origin.broadcast(packets);
            Map<Node, Got> got = new LinkedHashMap<>();
            for (Node n : all) {
                if (n == origin) {
                    continue;
                }
                Got g = n.awaitTag(tag);
                assertEquals(origin.id(), g.sender(), "sender at " + n);
                assertEquals(Flags.BROADCAST, g.mainFlag(), "main flag at " + n);
                assertTrue(Js2pJson.deepEquals(packets, g.userPackets()), "packets at " + n + ": " + g);
                got.put(n, g);
            }
            settle("settle " + step);
            if (middle instanceof JvNode jv) {
                droppedBeforeFlush = jv.socket.stats().duplicatesDropped();
                relayedBeforeFlush = jv.socket.stats().relayed();
            }
            flush("flush " + step);
            for (Node n : all) {
                List<Got> copies = n.gotTag(tag);
                assertEquals(n == origin ? 0 : 1, copies.size(), "copies of '" + tag + "' at " + n + ": " + copies);
            }
            return got;
        }

        /**
         * Each end whispers to the middle, which waits for both: everything the ends sent to
         * the middle before (relays, echoes) has been processed by it.
         */
        void settle(String label) {
            end1.whisper(middle.id(), List.of(label + " from end1"));
            end2.whisper(middle.id(), List.of(label + " from end2"));
            assertEquals(Flags.WHISPER, middle.awaitTag(label + " from end1").mainFlag());
            assertEquals(Flags.WHISPER, middle.awaitTag(label + " from end2").mainFlag());
        }

        /**
         * Both ends broadcast a marker across the chain and every node waits for the markers it
         * did not send, then the ends settle again: every directed link has carried a marker
         * after any copy sent before it.
         */
        void flush(String label) {
            end1.broadcast(List.of(label + " end1"));
            end2.broadcast(List.of(label + " end2"));
            middle.awaitTag(label + " end1");
            middle.awaitTag(label + " end2");
            end1.awaitTag(label + " end2");
            end2.awaitTag(label + " end1");
            settle(label + " settle");
            for (Node n : all) {
                assertEquals(n == end1 ? 0 : 1, n.gotTag(label + " end1").size(), "flush marker 1 at " + n);
                assertEquals(n == end2 ? 0 : 1, n.gotTag(label + " end2").size(), "flush marker 2 at " + n);
            }
        }

        void assertStillAChain() {
            assertEquals(Set.of(middle.id()), end1.peerIds(), end1 + " peers");
            assertEquals(Set.of(middle.id()), end2.peerIds(), end2 + " peers");
            assertEquals(Set.of(end1.id(), end2.id()), middle.peerIds(), middle + " peers");
            for (Node n : all) {
                if (n instanceof JsNode js) {
                    assertJs2pHealthy(js);
                    Set<String> neighbours = n == middle ? Set.of(end1.id(), end2.id()) : Set.of(middle.id());
                    for (Js2pEvent e : js.node.events(Js2pEvent.PEER_ADDED)) {
                        assertTrue(neighbours.contains(e.peerId()), n + " linked to a non-neighbour: " + e);
                    }
                }
            }
        }
    }
}
