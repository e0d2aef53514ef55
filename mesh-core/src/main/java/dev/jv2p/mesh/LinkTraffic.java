package dev.jv2p.mesh;

import dev.jv2p.mesh.internal.wire.Frames;

/**
 * The traffic of one connection: frames and bytes each way, when the peer was last heard, and
 * the token bucket that holds the peer to {@code maxMessagesPerSecond}. Touched on the
 * connection's event loop only.
 */
final class LinkTraffic {
    private final TokenBucket inboundRate;
    private long lastHeardNanos;
    private long bytesIn;
    private long bytesOut;
    private long messagesIn;
    private long messagesOut;

    LinkTraffic(MeshConfig config, long nowNanos) {
        inboundRate = new TokenBucket(config.maxMessagesPerSecond(), config.messageBurst(), nowNanos);
        lastHeardNanos = nowNanos;
    }

    /** Counts a frame of {@code bodyLength} received at {@code nowNanos}; {@code false} if it exceeds the rate. */
    boolean received(int bodyLength, long nowNanos) {
        messagesIn++;
        bytesIn += bodyLength + Frames.PREFIX_LENGTH;
        lastHeardNanos = nowNanos;
        return inboundRate.tryTake(nowNanos);
    }

    /** Counts a frame of {@code bodyLength} handed to the channel. */
    void sent(int bodyLength) {
        messagesOut++;
        bytesOut += bodyLength + Frames.PREFIX_LENGTH;
    }

    long silentNanos(long nowNanos) {
        return nowNanos - lastHeardNanos;
    }

    long bytesIn() {
        return bytesIn;
    }

    long bytesOut() {
        return bytesOut;
    }

    long messagesIn() {
        return messagesIn;
    }

    long messagesOut() {
        return messagesOut;
    }
}
