package dev.jv2p.sync.net;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jv2p.sync.SyncSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Only the dialing node starts the first digest exchange of a link; the listening node's
 * digest still goes out when it lacks much, since the dialer's exchange leaves the buckets the
 * listener lacks whole to the listener's own digest.
 */
class ListenerDigestTest {
    private static final Duration NO_ROUNDS = Duration.ofHours(1);

    @Test
    void anEmptyNodeThatIsDialedByAFullOneGetsTheDictionaryWithoutWaitingForARound() {
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket full = nodes.start(s -> s.antiEntropyInterval(NO_ROUNDS), m -> m);
            SyncSocket empty = nodes.start(s -> s.antiEntropyInterval(NO_ROUNDS), m -> m);
            for (int i = 0; i < 1000; i++) {
                full.set("k" + i, "v" + i);
            }

            SyncNodes.join(full, empty);

            await().atMost(Duration.ofSeconds(10)).until(() -> empty.size() == 1000);
            assertEquals("v999", empty.get("k999"));
            assertEquals(0, empty.status().antiEntropyRounds(), "no periodic round ran");
        }
    }
}
