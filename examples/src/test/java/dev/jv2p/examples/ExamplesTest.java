package dev.jv2p.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void theCustomCodecIsFoundByNameAndKeepsOtherCodecsOut() throws Exception {
        String t = CustomCodecExample.run();
        assertTrue(t.contains("a got: hello in tagged-msgpack"), t);
        assertTrue(t.contains("a msgpack node cannot join"), t);
    }

    @Test
    void aTlsNodeRestartedFromItsKeyFileKeepsItsIdAndItsLeases(@TempDir Path dir) throws Exception {
        String t = TlsMeshExample.run(dir);
        assertTrue(t.contains("bob got db.password over TLS from alice"), t);
        assertTrue(t.contains("bob may not overwrite it"), t);
        assertTrue(t.contains("alice restarted with the same id: true"), t);
        assertTrue(t.contains("bob now has: rotated"), t);
    }
}
