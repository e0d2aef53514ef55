package dev.jv2p.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshMessages.Handshake;
import dev.jv2p.mesh.MeshMessages.PeerEntry;
import dev.jv2p.mesh.spi.Flags;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MeshMessagesTest {

    private static MeshMessages.MeshMessage whisper(Object... packets) {
        return MeshMessages.parse(Flags.WHISPER, Arrays.asList(packets));
    }

    @Test
    void aHandshakeKeepsItsCompressionIdsInOrderOnceEachAndDropsTheOthers() {
        MeshMessages.MeshMessage m = whisper(5L, "id", "proto", List.of("h", 80L), List.of(2L, 1L, 2L, 300L, "x"));
        assertEquals(new Handshake("id", "proto", "h", 80, List.of(2, 1)), m);
    }

    @Test
    void aHandshakeWithANilAddressComesFromANodeThatCannotListen() {
        MeshMessages.MeshMessage m = whisper(5L, "id", "proto", Arrays.asList(null, null), List.of());
        assertEquals(new Handshake("id", "proto", null, 0, List.of()), m);
    }

    @Test
    void aHandshakeWithFieldsOfTheWrongTypeIsAViolationThatDisconnects() {
        assertThrows(ProtocolViolationException.class, () -> whisper(5L, "", "proto", List.of("h", 80L), List.of()));
        assertThrows(ProtocolViolationException.class, () -> whisper(5L, "id", "proto", List.of("h", "80"), List.of()));
        assertThrows(ProtocolViolationException.class, () -> whisper(5L, "id", 3L, List.of("h", 80L), List.of()));
        // cast to int, 2^32 + 80 used to become port 80, which peers then dialed
        assertThrows(
                ProtocolViolationException.class,
                () -> whisper(5L, "id", "proto", List.of("h", 4294967376L), List.of()));
        assertThrows(ProtocolViolationException.class, () -> whisper(5L, "id", "proto", List.of("h", -1L), List.of()));
    }

    @Test
    void aHandshakeOfTheWrongArityIsRefused() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> whisper(5L, "id", "proto", List.of("h", 80L)));
        assertTrue(e.getMessage().contains("not 3 fields"), e.getMessage());
    }

    @Test
    void aPeersListKeepsOnlyDialableEntries() {
        MeshMessages.Peers peers = (MeshMessages.Peers) whisper(
                7L,
                List.of(
                        List.of(List.of("a", 1L), "A"),
                        List.of(List.of("b", 0L), "B"),
                        List.of(List.of("c", 65536L), "C"),
                        List.of(List.of("d", 4294967376L), "D"),
                        List.of(List.of("e", 2L)),
                        "junk",
                        List.of(List.of("f", 65535L), "F")));
        assertEquals(List.of(new PeerEntry("a", 1, "A"), new PeerEntry("f", 65535, "F")), peers.entries());
    }

    @Test
    void aRequestIsAStateRequestOrALookupAndNothingElse() {
        assertInstanceOf(MeshMessages.StateRequest.class, whisper(8L, "*"));
        assertEquals(new MeshMessages.Lookup("rid", "target"), whisper(8L, "rid", "target"));
        assertThrows(IllegalArgumentException.class, () -> whisper(8L, "rid"));
        assertThrows(IllegalArgumentException.class, () -> whisper(8L, "rid", 5L));
    }

    @Test
    void aResponseWhoseAnswerIsNoAddressKeepsItsRequestId() {
        assertEquals(
                new MeshMessages.Response("rid", new PeerEntry("h", 9, "T")),
                whisper(10L, "rid", List.of(List.of("h", 9L), "T")));
        assertEquals(new MeshMessages.Response("rid", null), whisper(10L, "rid", "nowhere"));
        assertEquals(
                new MeshMessages.Response("rid", null), whisper(10L, "rid", List.of(List.of("h", 4294967376L), "T")));
        assertThrows(IllegalArgumentException.class, () -> whisper(10L, 5L, "nowhere"));
    }

    @Test
    void compressionAndResendAreTheMeshsOnlyUnderTheRenegotiateFlag() {
        assertEquals(
                new MeshMessages.CompressionChange(List.of(1)),
                MeshMessages.parse(Flags.RENEGOTIATE, List.of(1L, List.of(1L))));
        assertThrows(IllegalArgumentException.class, () -> MeshMessages.parse(Flags.RENEGOTIATE, List.of(1L)));
        assertInstanceOf(MeshMessages.Resend.class, MeshMessages.parse(Flags.RENEGOTIATE, List.of(9L, "x")));
        assertNull(whisper(1L, List.of(1L)));
        assertNull(whisper(9L));
    }

    @Test
    void helloPingAndPongAreRecognisedAtAnyArity() {
        assertEquals(new MeshMessages.Hello(true, Set.of()), whisper(0x30L, "jv2p", "0.1"));
        assertEquals(new MeshMessages.Hello(false, Set.of()), whisper(0x30L));
        assertInstanceOf(MeshMessages.Ping.class, whisper(0x31L, "extra"));
        assertInstanceOf(MeshMessages.Pong.class, whisper(0x32L));
    }

    @Test
    void aHellosCapabilitiesAreItsStringsWithinBoundsAndNothingElse() {
        assertEquals(
                new MeshMessages.Hello(true, Set.of("tree", "x")),
                whisper(0x30L, "jv2p", "0.1", List.of("tree", 7L, "x", "y".repeat(65))));
        assertEquals(new MeshMessages.Hello(true, Set.of()), whisper(0x30L, "jv2p", "0.1", "tree"));
    }

    @Test
    void treeAnnouncementsAndGraftsCarryOneTo256IdsOf16Bytes() {
        byte[] two = new byte[32];
        two[15] = 1;
        two[31] = 2;
        MeshMessages.MeshMessage have = whisper((long) Flags.TREE_IHAVE, two);
        assertEquals(new MeshMessages.TreeIHave(List.of(new BroadcastId(0, 1), new BroadcastId(0, 2))), have);
        assertEquals(
                new MeshMessages.TreeGraft(List.of(new BroadcastId(0, 1))),
                whisper((long) Flags.TREE_GRAFT, Arrays.copyOf(two, 16)));
        assertInstanceOf(MeshMessages.TreePrune.class, whisper((long) Flags.TREE_PRUNE));
        assertThrows(IllegalArgumentException.class, () -> whisper((long) Flags.TREE_IHAVE, new byte[17]));
        assertThrows(IllegalArgumentException.class, () -> whisper((long) Flags.TREE_IHAVE, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> whisper((long) Flags.TREE_IHAVE, new byte[257 * 16]));
        assertThrows(IllegalArgumentException.class, () -> whisper((long) Flags.TREE_GRAFT, List.of(1L)));
        assertInstanceOf(MeshMessages.TreeIHave.class, whisper((long) Flags.TREE_IHAVE, new byte[256 * 16]));
    }

    @Test
    void userAndLayerMessagesAreNotTheMeshs() {
        assertNull(whisper(0L, "hello"));
        assertNull(whisper(2L, "hello"));
        assertNull(whisper(0x3CL, List.of()));
        assertNull(whisper());
        assertNull(whisper("not a flag"));
    }
}
