package dev.jv2p.it.sync;

import dev.jv2p.mesh.testing.RandomDataProvider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link LiveSyncNodeFuzzTest}'s messages, a few thousand drawn from a seed: the node must
 * survive them all, go on relaying to its honest peer after each batch, log no unexpected
 * failure, and still sync with the honest peer every few hundred messages and at the end.
 * The seed is printed; {@code -Djv2p.hostile.seed=S} replays a run, {@code
 * -Djv2p.hostile.messages=N} sends more.
 */
class LiveSyncNodeRandomTest {
    private static final long SEED = Long.getLong("jv2p.hostile.seed", System.nanoTime());
    private static final int MESSAGES = Integer.getInteger("jv2p.hostile.messages", 3000);
    private static final int HONEST_CHECK_EVERY = 500;

    @Test
    void survivesThousandsOfRandomFramedMessagesAndKeepsServingItsHonestPeer() throws Exception {
        System.out.println("LiveSyncNodeRandomTest: seed " + SEED + " (-Djv2p.hostile.seed=" + SEED + " replays it)");
        RandomDataProvider data = new RandomDataProvider(SEED);
        int sent = 0;
        try (HostileSyncSetup nodes = new HostileSyncSetup()) {
            while (sent < MESSAGES) {
                FuzzedMessages messages = nodes.messages(data);
                List<List<Object>> batch = new ArrayList<>();
                for (int i = data.consumeInt(1, 3); i > 0; i--) {
                    batch.add(messages.next());
                }
                nodes.deliver(batch);
                if (sent / HONEST_CHECK_EVERY != (sent + batch.size()) / HONEST_CHECK_EVERY) {
                    nodes.assertHonestPeersServed();
                }
                sent += batch.size();
            }
            nodes.assertHonestPeersServed();
        } catch (Exception | AssertionError e) {
            throw new AssertionError("seed " + SEED + ", after " + sent + " messages: " + e.getMessage(), e);
        }
    }
}
