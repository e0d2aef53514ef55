package dev.jv2p.it.js2p;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import dev.jv2p.transport.tls.SslTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * jv2p's {@code SSL} transport against real js2p 0.7.870 SyncSockets started with encryption
 * {@code SSL} (spec §2): js2p's listener presents a throw-away RSA-1024 certificate made by
 * node-forge, its dialer accepts any certificate, and Node.js offers TLS 1.2 and 1.3. jv2p
 * dials js2p and js2p dials jv2p, and sets travel both ways over TLS.
 */
@ExtendWith(Js2pLogsOnFailure.class)
class Js2pSslInteropIT {
    private static final Duration T = Duration.ofSeconds(20);
    /** Spec §8.2: base58(SHA-256("sync1SSL0.7")) is what both sides must announce. */
    private static final Protocol SYNC_SSL = new Protocol("sync1", SslTransport.NAME);

    @Test
    void jv2pAndJs2pSslNodesSyncInBothDirectionsWhoeverDials() {
        Path forge = Js2pInstall.ensureInstalled().resolve("node_modules").resolve("node-forge");
        assertTrue(
                Files.isDirectory(forge),
                "js2p's optional dependency node-forge was not installed in " + forge
                        + "; js2p's SSL listener needs it");
        try (Js2pNode listener =
                        Js2pNode.sync().encryption("SSL").name("ssl-listener").start();
                Js2pNode dialer =
                        Js2pNode.sync().encryption("SSL").name("ssl-dialer").start();
                SyncSocket jv = SyncSocket.start(SyncConfig.builder()
                        .mesh(MeshConfig.builder()
                                .bindHost("127.0.0.1")
                                .port(0)
                                .protocol(new Protocol("ignored", SslTransport.NAME))
                                .build())
                        .build())) {
            assertEquals(SYNC_SSL.id(), jv.mesh().protocolId());
            assertEquals(jv.mesh().protocolId(), listener.protocolId());

            // jv2p dials js2p: js2p's RSA-1024 certificate is accepted
            jv.mesh().connect(listener.host(), listener.port()).join();
            listener.awaitPeer(jv.id(), T);
            // js2p dials jv2p: jv2p's certificate is accepted by js2p's dialer
            assertNull(dialer.connect("127.0.0.1", jv.mesh().localAddress().getPort()));
            dialer.awaitPeer(jv.id(), T);
            await().atMost(T).until(() -> jv.mesh().routingTable().containsKey(dialer.id()));

            listener.set("from-js2p-listener", "over SSL");
            dialer.set("from-js2p-dialer", 42L);
            await().atMost(T)
                    .until(() -> "over SSL".equals(jv.get("from-js2p-listener"))
                            && Long.valueOf(42).equals(jv.get("from-js2p-dialer")));
            assertEquals(
                    listener.id(), jv.meta("from-js2p-listener").orElseThrow().owner());

            jv.set("from-jv2p", "hello js2p");
            assertEquals(
                    jv.id(), listener.awaitUpdate("from-jv2p", "hello js2p", T).owner());
            assertEquals(
                    jv.id(), dialer.awaitUpdate("from-jv2p", "hello js2p", T).owner());
        }
    }
}
