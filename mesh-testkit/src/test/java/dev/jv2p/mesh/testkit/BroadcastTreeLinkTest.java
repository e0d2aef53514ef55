package dev.jv2p.mesh.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.spi.Flags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The broadcast tree's messages from a peer driven by hand: a graft makes the node send only
 * what it announced to the grafter, once; the tree's messages count only whispered and only on
 * a link whose hello announced the tree; ids announced and not delivered are grafted after the
 * timer, within a bound. And a mesh in which one node has the tree off delivers every broadcast
 * once.
 */
class BroadcastTreeLinkTest {
    private static final String EVIL = "evil";
    /** The graft timer of mesh-core's broadcast tree, and its bound on ids awaited. */
    private static final Duration GRAFT_TIMEOUT = Duration.ofMillis(50);

    private static final int MAX_MISSING = 4096;

    private final TestMesh mesh = TestMesh.virtual();
    /** Fixed topologies: peers lists make no node dial. */
    private final MeshSocket a = mesh.start("a", x -> x.broadcastTree(true).dialPeerLists(false));

    private final MeshSocket b = mesh.start("b", x -> x.broadcastTree(true).dialPeerLists(false));

    @AfterEach
    void close() {
        mesh.close();
    }

    /** A peer of {@code a} driven by hand, whose hello announces {@code capabilities}. */
    private RawLink evil(List<String> capabilities) {
        mesh.joinAndAwait(b, a);
        return rawPeer(a, "a", EVIL, 1, capabilities);
    }

    /** A peer of {@code node} (on host {@code host}) driven by hand as {@code id}, whose hello announces {@code capabilities}. */
    private RawLink rawPeer(MeshSocket node, String host, String id, int port, List<String> capabilities) {
        RawLink link = RawLink.dial(mesh, host, node.localAddress().getPort());
        link.handshake(id, node.protocolId(), id, port);
        link.whisper(id, (long) Flags.JV2P_HELLO, "jv2p", "0.1", capabilities);
        mesh.awaitCondition(() -> node.routingTable().containsKey(id), host + " took the raw peer " + id);
        return link;
    }

    private static long count(RawLink link, int subFlag) {
        return link.received().stream()
                .filter(p -> p.size() > 3 && Long.valueOf(subFlag).equals(p.get(3)))
                .count();
    }

    private static long copiesOf(RawLink link, String text) {
        return link.received().stream()
                .filter(p -> p.get(0).equals((long) Flags.BROADCAST) && p.contains(text))
                .count();
    }

    private static byte[] checksumOf(RawLink link, String text) {
        List<List<Object>> frames = link.received();
        List<byte[]> sums = link.checksums();
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).contains(text)) {
                return sums.get(i);
            }
        }
        throw new AssertionError("no frame carried " + text);
    }

    @Test
    void aGraftIsAnsweredOnlyForIdsAnnouncedToTheGrafterAndEachOnlyOnce() {
        RawLink evil = evil(List.of("tree"));
        b.send(List.of("first"));
        mesh.time().runUntilIdle();
        assertEquals(1, copiesOf(evil, "first"), "a pushed the payload on the new, eager link");
        byte[] first = Arrays.copyOf(checksumOf(evil, "first"), 16);

        evil.whisper(EVIL, (long) Flags.TREE_PRUNE);
        b.send(List.of("second"));
        mesh.time().advance(Duration.ofMillis(10));
        assertEquals(0, copiesOf(evil, "second"), "a pruned link gets no payload");
        List<Object> announcement = evil.received().stream()
                .filter(p -> Long.valueOf(Flags.TREE_IHAVE).equals(p.get(3)))
                .findFirst()
                .orElseThrow();
        byte[] second = (byte[]) announcement.get(4);
        assertEquals(16, second.length, "one id announced");

        evil.whisper(EVIL, (long) Flags.TREE_GRAFT, second);
        evil.whisper(EVIL, (long) Flags.TREE_GRAFT, concat(second, second));
        evil.whisper(EVIL, (long) Flags.TREE_GRAFT, first);
        evil.whisper(EVIL, (long) Flags.TREE_GRAFT, new byte[16]);
        mesh.time().runUntilIdle();
        assertEquals(1, copiesOf(evil, "second"), "the announced payload, once");
        assertEquals(1, copiesOf(evil, "first"), "nothing that was not announced to it");
        assertTrue(a.routingTable().containsKey(EVIL), "grafts are no fault");
    }

    @Test
    void theTreesMessagesUnderTheBroadcastFlagAreNeitherActedOnNorRelayed() {
        RawLink evil = evil(List.of("tree"));
        long relayedBefore = a.stats().relayed();
        evil.send(List.of((long) Flags.BROADCAST, EVIL, System.currentTimeMillis() / 1000, (long) Flags.TREE_PRUNE));
        mesh.time().runUntilIdle();
        assertEquals(relayedBefore, a.stats().relayed(), "not relayed");
        b.send(List.of("after"));
        mesh.time().runUntilIdle();
        assertEquals(1, copiesOf(evil, "after"), "the link is still eager: the prune was not taken");
    }

    @Test
    void anIdAnnouncedAndNotDeliveredIsGraftedFromItsAnnouncerOnceTheTimerRanOut() {
        RawLink evil = evil(List.of("tree"));
        byte[] id = new byte[16];
        id[0] = 42;
        evil.whisper(EVIL, (long) Flags.TREE_IHAVE, id);
        mesh.time().advance(GRAFT_TIMEOUT.minusMillis(5));
        assertEquals(0, count(evil, Flags.TREE_GRAFT), "no graft before the timer");
        mesh.time().advance(Duration.ofMillis(10));
        List<Object> graft = evil.received().stream()
                .filter(p -> Long.valueOf(Flags.TREE_GRAFT).equals(p.get(3)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no graft after the timer"));
        assertArrayEquals(id, (byte[]) graft.get(4));
    }

    @Test
    void announcementsOnALinkWithoutTheTreeAreIgnored() {
        RawLink evil = evil(List.of());
        evil.whisper(EVIL, (long) Flags.TREE_IHAVE, new byte[16]);
        evil.whisper(EVIL, (long) Flags.TREE_PRUNE);
        mesh.time().advance(GRAFT_TIMEOUT.multipliedBy(4));
        assertEquals(0, count(evil, Flags.TREE_GRAFT));
        b.send(List.of("flooded"));
        mesh.time().runUntilIdle();
        assertEquals(1, copiesOf(evil, "flooded"), "a link without the tree is flooded");
        assertEquals(0, count(evil, Flags.TREE_IHAVE));
    }

    @Test
    void idsAnnouncedBeyondTheBoundOfAwaitedBroadcastsAreNotGrafted() {
        RawLink evil = evil(List.of("tree"));
        int announced = 0;
        for (int message = 0; message < 17; message++) {
            byte[] ids = new byte[256 * 16];
            for (int i = 0; i < 256; i++, announced++) {
                ids[i * 16] = (byte) (announced >> 8);
                ids[i * 16 + 1] = (byte) announced;
                ids[i * 16 + 2] = 1;
            }
            evil.whisper(EVIL, (long) Flags.TREE_IHAVE, ids);
        }
        mesh.time().advance(GRAFT_TIMEOUT.multipliedBy(4));
        assertTrue(announced > MAX_MISSING);
        assertEquals(MAX_MISSING, count(evil, Flags.TREE_GRAFT));
    }

    @Test
    void aCopyStraightFromItsOriginatorAfterARelayedOnePrunesTheRelayNotTheOriginator() {
        RawLink toA = evil(List.of("tree"));
        RawLink toB = rawPeer(b, "b", EVIL, 1, List.of("tree"));
        List<Object> broadcast =
                List.of((long) Flags.BROADCAST, EVIL, System.currentTimeMillis() / 1000, "relayed first");
        List<Object> next = List.of((long) Flags.BROADCAST, EVIL, System.currentTimeMillis() / 1000, "in flight");
        toB.send(broadcast); // b relays it to a: a's first copy comes through a relay
        mesh.time().runUntilIdle();
        toA.send(broadcast); // then the originator's own copy: a prunes the a-b link
        toB.send(next); // which b relays to a before a's prune reaches it
        mesh.time().runUntilIdle();
        assertEquals(0, count(toA, Flags.TREE_PRUNE), "a keeps the originator's direct link eager");
        toA.send(next); // the originator's copy again, after a relayed one on a link a counts as lazy already
        mesh.time().runUntilIdle();
        assertEquals(0, count(toA, Flags.TREE_PRUNE), "a never prunes the originator's link for its own broadcast");

        long announcedBefore = a.stats().idsAnnounced();
        toA.send(List.of((long) Flags.BROADCAST, EVIL, System.currentTimeMillis() / 1000, "to a only"));
        mesh.time().advance(Duration.ofMillis(10));
        assertEquals(announcedBefore + 1, a.stats().idsAnnounced(), "a pruned the a-b link instead: b gets the id");
    }

    @Test
    void anOriginatorsCopyOnALinkAlreadyPrunedHereDoesNotPruneTheRelayToo() {
        RawLink toA = evil(List.of("tree"));
        RawLink toB = rawPeer(b, "b", EVIL, 1, List.of("tree"));
        toA.whisper(EVIL, (long) Flags.TREE_PRUNE); // a now has the a-evil link lazy
        mesh.time().runUntilIdle();

        List<Object> broadcast = broadcastFrom(EVIL, "pushed anyway");
        toB.send(broadcast); // relayed to a by b
        mesh.time().runUntilIdle();
        toA.send(broadcast); // the originator's copy, on a link a counts as lazy
        mesh.time().runUntilIdle();

        List<Object> delivered = new ArrayList<>();
        a.registerHandler(m -> delivered.add(m.packets().get(m.packets().size() - 1)));
        b.send(List.of("from b"));
        mesh.time().advance(Duration.ofMillis(10));
        assertEquals(List.of("from b"), delivered, "a kept the a-b link eager: its only eager path");
    }

    @Test
    void payloadsArrivingLateLengthenTheGraftTimerUntilTheLatenessIsForgotten() {
        RawLink announcer = evil(List.of("tree"));
        RawLink late = rawPeer(a, "a", "late", 2, List.of("tree"));

        List<Object> first = broadcastFrom("late", "first");
        announcer.whisper(EVIL, (long) Flags.TREE_IHAVE, idOf(first));
        mesh.time().advance(Duration.ofMillis(70));
        late.send(first); // 70 ms after its announcement (grafted at 50 ms, to no avail), on another link
        mesh.time().advance(Duration.ofMillis(1));

        List<Object> second = broadcastFrom("late", "second");
        announcer.whisper(EVIL, (long) Flags.TREE_IHAVE, idOf(second));
        mesh.time().advance(Duration.ofMillis(100));
        assertEquals(0, grafts(announcer, idOf(second)), "no graft at 100 ms: the timer is twice the lateness seen");
        mesh.time().advance(Duration.ofMillis(45));
        assertEquals(1, grafts(announcer, idOf(second)), "grafted once the longer timer ran out");

        mesh.time().advance(Duration.ofSeconds(8));
        List<Object> third = broadcastFrom("late", "third");
        announcer.whisper(EVIL, (long) Flags.TREE_IHAVE, idOf(third));
        mesh.time().advance(GRAFT_TIMEOUT.plusMillis(5));
        assertEquals(1, grafts(announcer, idOf(third)), "the lateness was forgotten: the timer is back to its floor");
    }

    @Test
    void anAnnouncerThatDeliversItsOwnPayloadsLateDoesNotLengthenTheGraftTimer() {
        RawLink announcer = evil(List.of("tree"));
        List<Object> first = broadcastFrom(EVIL, "late on purpose");
        announcer.whisper(EVIL, (long) Flags.TREE_IHAVE, idOf(first));
        mesh.time().advance(Duration.ofMillis(70));
        announcer.send(first); // its own payload, 70 ms after its own announcement
        mesh.time().advance(Duration.ofMillis(1));

        List<Object> second = broadcastFrom(EVIL, "next");
        announcer.whisper(EVIL, (long) Flags.TREE_IHAVE, idOf(second));
        mesh.time().advance(GRAFT_TIMEOUT.plusMillis(5));
        assertEquals(1, grafts(announcer, idOf(second)), "the timer stayed at its floor");
    }

    private static List<Object> broadcastFrom(String sender, String text) {
        return List.of((long) Flags.BROADCAST, sender, System.currentTimeMillis() / 1000, text);
    }

    private static byte[] idOf(List<Object> frame) {
        return Arrays.copyOf(RawLink.checksum(frame), 16);
    }

    private static long grafts(RawLink link, byte[] id) {
        return link.received().stream()
                .filter(p -> p.size() > 4 && Long.valueOf(Flags.TREE_GRAFT).equals(p.get(3)))
                .filter(p -> Arrays.equals(id, (byte[]) p.get(4)))
                .count();
    }

    @Test
    void aMeshWhereOneNodeHasTheTreeOffDeliversEveryBroadcastOnceToEveryNode() {
        MeshSocket c = mesh.start("c", x -> x.dialPeerLists(false));
        MeshSocket d = mesh.start("d", x -> x.broadcastTree(true).dialPeerLists(false));
        mesh.joinAndAwait(b, a);
        mesh.joinAndAwait(c, b);
        mesh.joinAndAwait(d, c);
        mesh.joinAndAwait(d, a);
        mesh.joinAndAwait(c, a);
        List<MeshSocket> nodes = List.of(a, b, c, d);
        Map<MeshSocket, List<Object>> delivered =
                Map.of(a, new ArrayList<>(), b, new ArrayList<>(), c, new ArrayList<>(), d, new ArrayList<>());
        for (MeshSocket n : nodes) {
            n.registerHandler(
                    m -> delivered.get(n).add(m.packets().get(m.packets().size() - 1)));
        }
        List<Object> sent = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (MeshSocket from : nodes) {
                String text = from + " " + round;
                sent.add(text);
                from.send(List.of(text));
                mesh.time().advance(Duration.ofMillis(200));
            }
        }
        for (MeshSocket n : nodes) {
            List<Object> expected = new ArrayList<>(sent);
            expected.removeIf(t -> ((String) t).startsWith(n.toString()));
            assertEquals(expected, delivered.get(n), n + " delivered every other node's broadcast once, in order");
        }
        assertEquals(0, c.stats().idsAnnounced(), "c has the tree off");
        assertTrue(
                a.stats().idsAnnounced() + b.stats().idsAnnounced() + d.stats().idsAnnounced() > 0);
    }

    private static byte[] concat(byte[] x, byte[] y) {
        byte[] both = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, both, x.length, y.length);
        return both;
    }
}
