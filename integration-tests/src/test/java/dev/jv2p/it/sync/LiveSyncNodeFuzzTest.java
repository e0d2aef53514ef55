package dev.jv2p.it.sync;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jv2p.sync.SyncSocket;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A live {@link SyncSocket} node, with an honest peer, takes one to three messages per input
 * from a handshaken peer on a real socket: framed and checksummed correctly, with contents
 * the fuzzer chooses (see {@link FuzzedMessages}). After each input the node must answer and
 * still relay to the honest peer, and neither node may log an unexpected failure (the router
 * logs a stack trace when a handler throws); writes must still go both ways after every saved
 * input, every thousandth input when fuzzing, and at the end ({@link HostileSyncSetup}).
 *
 * <p>Each input travels the node's whole inbound path: frame decoder, checksum, codec,
 * packet-list and handshake checks, router, sync handlers. That costs two round trips, so
 * this fuzzes at a few hundred inputs per second; {@link LiveSyncNodeRandomTest} sends the
 * same kind of messages from a seed.
 */
class LiveSyncNodeFuzzTest {
    /** When fuzzing, how often writes are checked to go both ways; after every saved input else. */
    private static final int HONEST_CHECK_EVERY = 1000;

    private static final boolean FUZZING = System.getenv("JAZZER_FUZZ") != null
            && !System.getenv("JAZZER_FUZZ").isEmpty();
    /** Only connections to this machine: a fuzzed message must never make a node dial elsewhere. */
    private static final BiPredicate<String, Integer> LOOPBACK =
            (host, port) -> host.startsWith("127.") || host.equals("localhost");

    private static HostileSyncSetup nodes;
    private static long inputs;

    @BeforeAll
    static void startNodes() {
        nodes = new HostileSyncSetup();
    }

    @AfterAll
    static void stopNodes() throws IOException {
        try (HostileSyncSetup closing = nodes) {
            closing.assertHonestPeersServed();
        }
    }

    @FuzzTest
    void survivesWhateverAHandshakenPeerSends(FuzzedDataProvider data) throws IOException {
        // Jazzer's SSRF detector reports any other connection. The permission does not outlive
        // an input that fails, so it is given for each input.
        SilentCloseable loopbackOnly = BugDetectors.allowNetworkConnections(LOOPBACK);
        try {
            FuzzedMessages messages = nodes.messages(data);
            int count = data.consumeInt(1, 3);
            List<List<Object>> batch = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                batch.add(messages.next());
            }
            nodes.deliver(batch);
        } finally {
            loopbackOnly.close();
        }
        if (!FUZZING || inputs++ % HONEST_CHECK_EVERY == 0) {
            nodes.assertHonestPeersServed();
        }
    }
}
