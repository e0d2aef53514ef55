package dev.jv2p.mesh;

import dev.jv2p.mesh.internal.wire.Frames;
import dev.jv2p.mesh.spi.Codec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a payload into a block (checksum ‖ encoded {@code [flag, sender, time, payload...]})
 * and stamps times in the node's clock. The node's id is set once the listening port, from
 * which it is derived, is known.
 */
final class MessageEncoder {
    private final Codec codec;
    private final Clock clock;
    private volatile String ownId;

    MessageEncoder(Codec codec, Clock clock) {
        this.codec = codec;
        this.clock = clock;
    }

    void identify(String ownId) {
        this.ownId = ownId;
    }

    String ownId() {
        return ownId;
    }

    Codec codec() {
        return codec;
    }

    /** The current time of the node's clock, in seconds. */
    long now() {
        return Math.floorDiv(clock.millis(), 1000L);
    }

    /** A block of this node's, stamped {@code time}. */
    byte[] block(int mainFlag, long time, List<Object> payload) {
        return block(mainFlag, ownId, time, payload);
    }

    /** A block as {@code sender} stamped it: fallback expansions keep the originator's sender and time. */
    byte[] block(int mainFlag, String sender, long time, List<Object> payload) {
        List<Object> list = new ArrayList<>(payload.size() + 3);
        list.add((long) mainFlag);
        list.add(sender);
        list.add(time);
        list.addAll(payload);
        return Frames.block(codec.encode(list));
    }
}
