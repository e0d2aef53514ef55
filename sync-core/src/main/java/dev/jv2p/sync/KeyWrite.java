package dev.jv2p.sync;

import dev.jv2p.mesh.spi.Values;
import dev.jv2p.sync.internal.Write;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A set ({@code value} not null) or delete of one key, checked on the caller's thread. */
record KeyWrite(Key key, Object value) {
    Write.Kind kind() {
        return value == null ? Write.Kind.DELETE : Write.Kind.SET;
    }

    /** A set of {@code key} to {@code value}, or a delete when {@code value} is null. */
    static KeyWrite of(Object key, Object value) {
        return new KeyWrite(SyncSocket.toKey(key), Values.normalize(value));
    }

    /** A delete of {@code key}. */
    static KeyWrite delete(Object key) {
        return new KeyWrite(SyncSocket.toKey(key), null);
    }

    /** One write per entry of {@code entries}, in their order. */
    static List<KeyWrite> all(Map<?, ?> entries) {
        List<KeyWrite> writes = new ArrayList<>(entries.size());
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            writes.add(of(e.getKey(), e.getValue()));
        }
        return writes;
    }
}
