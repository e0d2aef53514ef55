package dev.jv2p.sync.internal;

import dev.jv2p.sync.Key;
import java.time.Duration;
import java.util.Map;

/** Short names for writes and stores, so that tests read like the scenarios they describe. */
final class Fixtures {
    /** An arbitrary epoch second all scenarios start near. */
    static final long T = 1_700_000_000L;

    private Fixtures() {}

    static Key key(String text) {
        return Key.of(text);
    }

    static WriteStamp at(long timestamp, String owner) {
        return new WriteStamp(timestamp, owner, 0);
    }

    static Write set(String key, Object value, long timestamp, String owner) {
        return Write.set(Key.of(key), value, at(timestamp, owner));
    }

    static Write del(String key, long timestamp, String owner) {
        return Write.delete(Key.of(key), at(timestamp, owner));
    }

    static Write delta(String key, Map<?, ?> entries, long timestamp, String owner) {
        return Write.delta(Key.of(key), entries, at(timestamp, owner));
    }

    static SyncStore store(boolean leasing) {
        return new SyncStore(SyncStoreConfig.builder().leasing(leasing).build());
    }

    /** Short windows (lease 100 s, retention 1000 s) for tests about bounds. */
    static SyncStore shortWindows(boolean leasing) {
        return new SyncStore(SyncStoreConfig.builder()
                .leasing(leasing)
                .leaseDuration(Duration.ofSeconds(100))
                .retention(Duration.ofSeconds(1000))
                .build());
    }
}
