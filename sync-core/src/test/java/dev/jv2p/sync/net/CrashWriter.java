package dev.jv2p.sync.net;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.sync.Durability;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import java.nio.file.Path;

/**
 * The child process of {@link DurableCrashTest}: a node with a data directory that writes keys
 * {@code k0, k1, ...} as fast as it can and prints {@code ack <i>} once the write of key
 * {@code i} is acknowledged, until it is killed. Arguments: the directory and the mode.
 */
public final class CrashWriter {
    private CrashWriter() {}

    public static void main(String[] args) {
        Durability mode = Durability.valueOf(args[1]);
        SyncSocket node = SyncSocket.start(SyncConfig.builder()
                .mesh(MeshConfig.builder().bindHost("127.0.0.1").port(0).build())
                .dataDirectory(Path.of(args[0]))
                .durability(mode)
                .build());
        System.out.println("started " + node.id());
        System.out.flush();
        for (long i = 0; ; i++) {
            if (mode == Durability.ALWAYS) {
                node.set("k" + i, i); // returns once the write is on disk
            } else {
                node.setAsync("k" + i, i).join(); // acknowledged: in the log
            }
            if (i % 7 == 3) {
                node.delAsync("k" + (i - 1)).join();
            }
            System.out.println("ack " + i);
            System.out.flush();
        }
    }
}
