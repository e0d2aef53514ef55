package dev.jv2p.it.sync;

import dev.jv2p.codec.msgpack.MsgpackCodec;
import dev.jv2p.mesh.internal.wire.FrameException;
import dev.jv2p.mesh.internal.wire.Frames;
import dev.jv2p.mesh.internal.wire.GzipCompression;
import dev.jv2p.mesh.internal.wire.ZlibCompression;
import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.spi.DecodeLimits;
import dev.jv2p.mesh.spi.Flags;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;

/**
 * A peer on a plain socket that handshakes like a jv2p node and then sends whatever packet
 * lists it is given, framed and checksummed correctly. It reads what the node sends only to
 * find the answers to its own requests.
 */
public final class RawPeer implements AutoCloseable {
    private static final MsgpackCodec CODEC = new MsgpackCodec();

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final String id;
    private final java.util.Map<Long, Integer> received = new java.util.HashMap<>();
    private final int maxFrameLength;
    private boolean closed;
    private long roundTrips;
    private long discarded;

    private RawPeer(Socket socket, String id, int maxFrameLength) throws IOException {
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        this.in = new DataInputStream(socket.getInputStream());
        this.id = id;
        this.maxFrameLength = maxFrameLength;
    }

    /** Connects, handshakes under {@code protocolId}, says hello as a jv2p node. */
    public static RawPeer connect(int port, String protocolId, String id, int maxFrameLength) throws IOException {
        return connect(new Socket("127.0.0.1", port), protocolId, id, maxFrameLength, true);
    }

    /**
     * Handshakes on {@code socket} under {@code protocolId}; with {@code jv2p}, says hello as a
     * jv2p node (else the node takes it for js2p, and never drops it for silence).
     */
    public static RawPeer connect(Socket socket, String protocolId, String id, int maxFrameLength, boolean jv2p)
            throws IOException {
        socket.setTcpNoDelay(true);
        RawPeer peer = new RawPeer(socket, id, maxFrameLength);
        long now = System.currentTimeMillis() / 1000;
        peer.send(List.of(
                (long) Flags.WHISPER,
                id,
                now,
                (long) Flags.HANDSHAKE,
                id,
                protocolId,
                List.of("127.0.0.1", (long) socket.getPort()),
                List.of()));
        if (jv2p) {
            peer.send(List.of((long) Flags.WHISPER, id, now, (long) Flags.JV2P_HELLO, "jv2p", "0.1"));
        }
        peer.flush();
        return peer;
    }

    /** A peer on {@code socket} that has sent nothing, to read what the node sends first. */
    public static RawPeer accepting(Socket socket, int maxFrameLength) throws IOException {
        return new RawPeer(socket, "silent", maxFrameLength);
    }

    public String id() {
        return id;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Queues one packet list as a frame; a connection the node closed just marks this peer closed. */
    public void send(List<?> packetList) {
        if (closed) {
            return;
        }
        try {
            out.write(Frames.frame(Frames.block(CODEC.encode(packetList))));
        } catch (IOException e) {
            closed = true;
        }
    }

    /**
     * Asks the node for its own address under a request id of this call and reads until the
     * response with that id: the node has then processed everything sent before. A pong
     * would not do, as fuzzed messages may ask for pongs too.
     *
     * @return false if the node closed the connection instead
     * @throws SocketTimeoutException if neither came within {@code timeout}
     */
    public boolean roundTrip(String nodeId, Duration timeout) throws IOException {
        String requestId = id + "/" + ++roundTrips;
        send(List.of(
                (long) Flags.WHISPER, id, System.currentTimeMillis() / 1000, (long) Flags.REQUEST, requestId, nodeId));
        if (closed) {
            return false;
        }
        try {
            out.flush();
            socket.setSoTimeout((int) timeout.toMillis());
            while (true) {
                List<Object> list = readPacketList();
                if (list.size() >= 5
                        && Long.valueOf(Flags.RESPONSE).equals(list.get(3))
                        && requestId.equals(list.get(4))) {
                    return true;
                }
            }
        } catch (EOFException | SocketException e) {
            closed = true;
            return false;
        }
    }

    /** Sends what is queued; a connection the node closed just marks this peer closed. */
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            closed = true;
        }
    }

    /**
     * Reads and discards what the node sends until it closes the connection.
     *
     * @return false if the node sent nothing and did not close within {@code quietLimit}
     */
    public boolean awaitClosedByNode(Duration quietLimit) throws IOException {
        flush();
        socket.setSoTimeout((int) quietLimit.toMillis());
        byte[] buffer = new byte[1 << 16];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                discarded += n;
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            // reset by the node
        }
        closed = true;
        return true;
    }

    /**
     * Reads and discards what the node sends for {@code period}; whatever it sends, the node
     * must not close the connection meanwhile.
     *
     * @return false if the node closed the connection before {@code period} was over
     */
    public boolean staysOpenFor(Duration period) throws IOException {
        flush();
        long deadline = System.nanoTime() + period.toNanos();
        byte[] buffer = new byte[1 << 16];
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    closed = true;
                    return false;
                }
                discarded += n;
            } catch (SocketTimeoutException e) {
                return true;
            } catch (SocketException e) {
                closed = true;
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the node's next message.
     *
     * @throws SocketTimeoutException if none came within {@code timeout}
     */
    public List<Object> next(Duration timeout) throws IOException {
        flush();
        socket.setSoTimeout((int) timeout.toMillis());
        return readPacketList();
    }

    /** How many messages of {@code subFlag} the node has sent that this peer read (and discarded). */
    public int received(int subFlag) {
        return received.getOrDefault((long) subFlag, 0);
    }

    /** How many bytes this peer read and discarded (round trips and {@link #awaitClosedByNode}). */
    public long discardedBytes() {
        return discarded;
    }

    private List<Object> readPacketList() throws IOException {
        int length = in.readInt();
        if (length < 0 || length > maxFrameLength) {
            throw new IOException("the node sent a frame of " + Integer.toUnsignedString(length) + " bytes");
        }
        byte[] body = new byte[length];
        in.readFully(body);
        discarded += 4 + length;
        try {
            // Whatever compression a fuzzed handshake made the node choose.
            Frames.Block block =
                    Frames.open(body, List.of(new ZlibCompression(), new GzipCompression()), maxFrameLength);
            List<Object> list = CODEC.decode(block.payload(), DecodeLimits.DEFAULT);
            if (list.size() > 3 && list.get(3) instanceof Long sub) {
                received.merge(sub, 1, Integer::sum);
            }
            return list;
        } catch (FrameException | CodecException e) {
            throw new IOException("the node sent a frame its peer cannot read: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
    }
}
