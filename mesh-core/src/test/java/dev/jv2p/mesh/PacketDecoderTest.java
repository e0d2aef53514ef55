package dev.jv2p.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.internal.wire.Frames;
import dev.jv2p.mesh.spi.DecodeLimits;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketDecoderTest {

    private static EmbeddedLink link() {
        return new EmbeddedLink()
                .with(c -> new PacketDecoder(c, EmbeddedLink.CODEC, DecodeLimits.DEFAULT, "p2p.today/test", null));
    }

    private static Inbound decode(EmbeddedLink link, List<?> list) throws Exception {
        link.channel.writeInbound(EmbeddedLink.block(list));
        return link.channel.readInbound();
    }

    @Test
    void aHandshakeIsParsedIntoItsRecord() throws Exception {
        Inbound in = decode(link(), List.of(2L, "peer", 7L, 5L, "peer", "proto", List.of("h", 4444L), List.of(1L)));
        assertNull(in.refusal());
        assertEquals(new MeshMessages.Handshake("peer", "proto", "h", 4444, List.of(1)), in.parsed());
        assertEquals("peer", in.message().sender());
        assertEquals(7L, in.message().time());
    }

    @Test
    void aMessageBeforeThePeersHandshakeIsDropped() throws Exception {
        assertNull(decode(link(), List.of(2L, "peer", 7L, 2L, "hello")));
    }

    @Test
    void aUserMessageIsHandedOnUnparsed() throws Exception {
        EmbeddedLink link = link();
        link.connection.markHandshaken();
        Inbound in = decode(link, List.of(0L, "peer", 7L, 0L, "hello"));
        assertNull(in.parsed());
        assertNull(in.refusal());
        assertEquals(List.of(0L, "hello"), in.message().packets());
    }

    @Test
    void aMalformedPeersListCarriesItsRefusalToTheRouter() throws Exception {
        EmbeddedLink link = link();
        link.connection.markHandshaken();
        Inbound in = decode(link, List.of(2L, "peer", 7L, 7L, "not a list"));
        assertNull(in.parsed());
        assertInstanceOf(IllegalArgumentException.class, in.refusal());
    }

    @Test
    void aPacketListWithoutASenderIsAHostileFault() {
        EmbeddedLink link = link();
        PeerFaultException fault = assertThrows(
                PeerFaultException.class, () -> link.channel.writeInbound(EmbeddedLink.block(List.of(2L, 5L, 7L))));
        assertTrue(fault.hostile());
        assertTrue(fault.getMessage().startsWith("malformed packet list: "), fault.getMessage());
    }

    @Test
    void aBodyTheCodecCannotReadBeforeTheHandshakeIsAProtocolMismatchNotAnAttack() {
        EmbeddedLink link = link();
        Frames.Block garbage = new Frames.Block(new byte[Frames.CHECKSUM_LENGTH], new byte[] {(byte) 0xEE}, null);
        PeerFaultException fault = assertThrows(PeerFaultException.class, () -> link.channel.writeInbound(garbage));
        assertFalse(fault.hostile());
        assertTrue(fault.getMessage().startsWith("protocol mismatch: "), fault.getMessage());
        assertTrue(fault.getMessage().contains("p2p.today/test"), fault.getMessage());
    }

    @Test
    void aBodyTheCodecCannotReadAfterTheHandshakeIsHostile() {
        EmbeddedLink link = link();
        link.connection.markHandshaken();
        Frames.Block garbage = new Frames.Block(new byte[Frames.CHECKSUM_LENGTH], new byte[] {(byte) 0xEE}, null);
        PeerFaultException fault = assertThrows(PeerFaultException.class, () -> link.channel.writeInbound(garbage));
        assertTrue(fault.hostile());
        assertTrue(fault.getMessage().startsWith("malformed body: "), fault.getMessage());
    }
}
