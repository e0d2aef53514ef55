package dev.jv2p.mesh;

import dev.jv2p.mesh.internal.Base58;
import dev.jv2p.mesh.spi.Values;
import java.util.List;

/**
 * A received message: who originated it, when, and its packets (the payload, sub-flag
 * first, as js2p's {@code Message.packets}). Immutable and safe to share between threads.
 */
public final class Message {
    private final int mainFlag;
    private final String sender;
    private final long time;
    private final List<Object> packets;
    private final byte[] checksum;
    private final PeerLink via;
    private final MeshSocket socket;

    Message(
            int mainFlag,
            String sender,
            long time,
            List<Object> packets,
            byte[] checksum,
            PeerLink via,
            MeshSocket socket) {
        this.mainFlag = mainFlag;
        this.sender = sender;
        this.time = time;
        this.packets = packets;
        this.checksum = checksum;
        this.via = via;
        this.socket = socket;
    }

    /** Main flag: {@link dev.jv2p.mesh.spi.Flags#BROADCAST}, {@link dev.jv2p.mesh.spi.Flags#WHISPER}, ... */
    public int mainFlag() {
        return mainFlag;
    }

    /** The originator's node id (the frame's sender field; relays keep it). */
    public String sender() {
        return sender;
    }

    /** Seconds since the epoch, stamped by the originator. */
    public long time() {
        return time;
    }

    /** The payload: sub-flag first, then the arguments. Unmodifiable. */
    public List<Object> packets() {
        return packets;
    }

    /** The sub-flag (first packet) or -1 when there is none or it is not an integer. */
    public int subFlag() {
        return packets.isEmpty() || !(packets.get(0) instanceof Long l) ? -1 : (int) (long) l;
    }

    /** The message id: base58 of the SHA-256 checksum of the body as transmitted. */
    public String id() {
        return Base58.encode(checksum);
    }

    /** The raw 32-byte checksum. */
    public byte[] checksum() {
        return checksum.clone();
    }

    /** The connection the message arrived on. */
    public PeerLink via() {
        return via;
    }

    /**
     * Answers the sender with a whisper {@code [WHISPER, ownId, now, 2, packets...]}: directly
     * when it is in the routing table, otherwise through a request for its address (spec
     * §11), after which this node dials it and delivers the reply.
     */
    public void reply(List<?> replyPackets) {
        socket.reply(sender, replyPackets);
    }

    @Override
    public String toString() {
        return "Message[flag=" + mainFlag + ", sender=" + sender + ", time=" + time + ", packets="
                + Values.toString(packets) + "]";
    }
}
