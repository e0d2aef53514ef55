package dev.jv2p.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Runs the unattended examples so they never rot. */
class ExamplesTest {
    @Test
    void chatDeliversTheBroadcastAndTheWhispers() throws Exception {
        String t = ChatExample.run();
        assertTrue(t.contains("bob got: hello, everyone"), t);
        assertTrue(t.contains("carol got: hello, everyone"), t);
        assertTrue(t.contains("alice got a whisper from bob: hi alice"), t);
        assertTrue(t.contains("alice got a whisper from carol: hi alice"), t);
    }

    @Test
    void sharedConfigReachesTheService() throws Exception {
        String t = SharedConfigExample.run();
        assertTrue(t.contains("service applies pool.size = 16"), t);
        assertTrue(t.contains("service applies feature.flags = {dark-mode=true}"), t);
    }
}
