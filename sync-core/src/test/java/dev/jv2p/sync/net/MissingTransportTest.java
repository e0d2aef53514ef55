package dev.jv2p.sync.net;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import org.junit.jupiter.api.Test;

/** sync-core's tests have no transport-tls on the class path: asking for TLS must fail, never fall back. */
class MissingTransportTest {

    @Test
    void askingForTlsWithoutTransportTlsOnTheClassPathRefusesToStartAndNamesWhatIsThere() {
        for (String encryption : new String[] {"TLS", "SSL"}) {
            SyncConfig config = SyncConfig.builder()
                    .mesh(MeshConfig.builder()
                            .bindHost("127.0.0.1")
                            .port(0)
                            .protocol(new Protocol("sync", encryption))
                            .build())
                    .build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SyncSocket.start(config));
            assertTrue(e.getMessage().contains("unknown transport '" + encryption + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("Plaintext"), e.getMessage());
        }
    }
}
