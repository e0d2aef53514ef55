package dev.jv2p.transport.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jv2p.sync.SyncSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TLS node with a data directory keeps the owners' proofs, so after a restart it still passes writes on. */
class TlsDurableTest {
    private static final Duration T = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private TlsTransport tls(String name) {
        return TlsTransport.builder().keyFile(dir.resolve(name + ".key")).build();
    }

    @Test
    void aRestartedNodeForwardsItsPeersSignedWritesToAJoinerWhileThoseOwnersAreGone() {
        Path data = dir.resolve("data");
        try (TlsNodes nodes = TlsNodes.inMemory()) {
            try (TlsNodes gone = TlsNodes.inMemory()) {
                SyncSocket owner = gone.sync(tls("owner"));
                SyncSocket keeper = gone.sync(tls("keeper"), m -> m, s -> s.dataDirectory(data));
                gone.join(keeper, owner);
                owner.set("from-owner", "1");
                owner.applyDelta("map", Map.of("x", 1L));
                keeper.set("from-keeper", "2");
                await().atMost(T).until(() -> keeper.size() == 3 && owner.size() == 3);
            } // both stop; only the keeper's data directory remains

            SyncSocket keeper = nodes.sync(tls("keeper"), m -> m, s -> s.dataDirectory(data));
            assertEquals(3, keeper.size());
            SyncSocket joiner = nodes.sync(tls("joiner"));
            nodes.join(joiner, keeper);
            await().atMost(T).until(() -> joiner.size() == 3);
            assertEquals(Map.of("x", 1L), joiner.get("map"));
            assertEquals(0, joiner.rejectedMessages(), "every write came with its owner's proof");
        }
    }
}
