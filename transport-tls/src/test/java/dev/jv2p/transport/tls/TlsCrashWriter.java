package dev.jv2p.transport.tls;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.sync.Durability;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import java.nio.file.Path;

/**
 * The child process of {@link TlsDurableTest}'s kill test: a TLS node with a data directory in
 * {@link Durability#ALWAYS} that writes keys {@code k0, k1, ...} as fast as it can and prints
 * {@code ack <i>} once {@code set} of key {@code i} has returned, until it is killed.
 * Arguments: the key file and the data directory.
 */
public final class TlsCrashWriter {
    private TlsCrashWriter() {}

    public static void main(String[] args) {
        TlsTransport tls = TlsTransport.builder().keyFile(Path.of(args[0])).build();
        SyncSocket node = SyncSocket.start(SyncConfig.builder()
                .mesh(MeshConfig.builder()
                        .transport(tls)
                        .protocol(new Protocol("mesh", tls.name()))
                        .bindHost("127.0.0.1")
                        .port(0)
                        .build())
                .dataDirectory(Path.of(args[1]))
                .durability(Durability.ALWAYS)
                .build());
        System.out.println("started " + node.id());
        System.out.flush();
        for (long i = 0; ; i++) {
            node.set("k" + i, i); // returns once the write is on disk
            System.out.println("ack " + i);
            System.out.flush();
        }
    }
}
