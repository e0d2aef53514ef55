package dev.jv2p.transport.tls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Both TLS transports shake hands with themselves in memory when a node starts with them (the
 * provider's code is loaded then, not on an event loop during the first connection); a trust that
 * refuses the node's own certificate makes the warm-up fail quietly, not the start.
 */
class TlsWarmUpTest {
    @Test
    void theSslTransportWarmsUpWhenANodeStartsWithIt() {
        SslTransport ssl = new SslTransport();
        assertFalse(ssl.warmedUp(), "nothing is made before a node starts with it");
        assertTrue(ssl.identity().isEmpty());
        assertTrue(ssl.warmedUp(), "the handshake with itself completed at start");
    }

    @Test
    void theTlsTransportWarmsUpWhenItsKeyIsLoaded() {
        TlsTransport tls = TlsTransport.builder().build();
        tls.identity();
        assertTrue(tls.warmedUp(), "the handshake with itself completed");
    }

    @Test
    void aTrustThatRefusesTheNodesOwnIdFailsTheWarmUpButNotTheStart() {
        String someoneElse = TlsTransport.builder().build().nodeId();
        TlsTransport tls = TlsTransport.builder().allow(someoneElse).build();
        Optional<?> identity = tls.identity();
        assertTrue(identity.isPresent(), "the node still has its identity");
        assertFalse(tls.warmedUp(), "its own certificate is not allowed, so the handshake with itself fails");
    }
}
