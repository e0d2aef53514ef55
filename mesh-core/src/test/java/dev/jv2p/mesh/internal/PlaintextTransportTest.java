package dev.jv2p.mesh.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jv2p.mesh.Protocol;
import org.junit.jupiter.api.Test;

class PlaintextTransportTest {
    /** The transport spells its name out rather than reach into dev.jv2p.mesh for it. */
    @Test
    void itIsFoundByTheNameThatProtocolsUse() {
        assertEquals(Protocol.PLAINTEXT, new PlaintextTransport().name());
        assertEquals(Protocol.PLAINTEXT, Protocol.defaultMesh().encryption());
    }
}
