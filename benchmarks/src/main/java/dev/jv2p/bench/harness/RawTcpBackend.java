package dev.jv2p.bench.harness;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;

/**
 * The physical limit beside every system: raw loopback TCP with the harness's message pattern
 * and nothing else. Node 0 is the one writer and listens; every other node is a receiver that
 * connects to it. Each {@code put} is a frame ({@code DataOutputStream.writeUTF} of key and
 * value) queued to every receiver's link, whose own thread writes what is queued and flushes
 * when the queue is empty (so single writes go out at once and bulk writes share segments). A
 * receiver stores every entry in a {@link ConcurrentHashMap}. A receiver that connects late gets
 * every entry the writer holds (the state transfer of a late join). No ordering, merging,
 * signing or membership protocol: what remains is the cost of the bytes on loopback.
 *
 * <p>Writes on a receiver stay local (the harness writes only on node 0).
 */
final class RawTcpBackend implements Backend {
    private static final byte ENTRY = 0;
    private static final byte MEMBERS = 1;
    private static final int BUFFER = 1 << 16;

    private final Map<String, String> map = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, String>> listeners = new CopyOnWriteArrayList<>();
    private final List<RawTcpLink> links = new CopyOnWriteArrayList<>();
    private volatile int members = 1;
    private ServerSocket server;
    private Socket toWriter;

    @Override
    public void start(int index, List<Integer> ports) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        if (index == 0) {
            server = new ServerSocket(ports.get(0), 50, loopback);
            daemon("raw-accept", this::accept);
        } else {
            toWriter = new Socket(loopback, ports.get(0));
            toWriter.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(toWriter.getInputStream(), BUFFER));
            daemon("raw-receive", () -> receive(in));
        }
    }

    private void accept() {
        try {
            while (true) {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                RawTcpLink link = new RawTcpLink(s, BUFFER, () -> drop(s));
                links.add(link);
                daemon("raw-send", link::run);
                daemon("raw-eof", () -> awaitEnd(s));
                // the late joiner's state transfer, then everyone learns the new membership
                map.forEach((k, v) -> link.enqueue(entry(k, v)));
                announceMembers();
            }
        } catch (IOException e) {
            // server closed
        }
    }

    /** Receivers send nothing: the end of their stream is their departure. */
    private void awaitEnd(Socket s) {
        try {
            while (s.getInputStream().read() >= 0) {
                // nothing is expected
            }
        } catch (IOException e) {
            // gone
        }
        drop(s);
    }

    private void drop(Socket s) {
        for (RawTcpLink l : links) {
            if (l.socket() == s && links.remove(l)) {
                l.close();
                announceMembers();
            }
        }
    }

    private void announceMembers() {
        members = links.size() + 1;
        byte[] frame = {MEMBERS, (byte) members};
        links.forEach(l -> l.enqueue(frame));
    }

    private void receive(DataInputStream in) {
        try {
            while (true) {
                byte type = in.readByte();
                if (type == MEMBERS) {
                    members = in.readByte();
                    continue;
                }
                String key = in.readUTF();
                String value = in.readUTF();
                map.put(key, value);
                for (BiConsumer<String, String> l : listeners) {
                    l.accept(key, value);
                }
            }
        } catch (EOFException | SocketException e) {
            members = 1; // the writer is gone
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] entry(String key, String value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8 + key.length() + value.length());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(ENTRY);
            out.writeUTF(key);
            out.writeUTF(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public int members() {
        return members;
    }

    @Override
    public void put(String key, String value) {
        map.put(key, value);
        if (!links.isEmpty()) {
            byte[] frame = entry(key, value);
            for (RawTcpLink l : links) {
                l.enqueue(frame);
            }
        }
    }

    @Override
    public void putAll(Map<String, String> entries) {
        entries.forEach(this::put);
    }

    @Override
    public boolean containsKey(String key) {
        return map.containsKey(key);
    }

    @Override
    public int size() {
        return map.size();
    }

    @Override
    public AutoCloseable onRemoteUpdate(BiConsumer<String, String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.close();
        }
        links.forEach(RawTcpLink::close);
        if (toWriter != null) {
            toWriter.close();
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    /** One receiver's link on the writer: a queue of frames and the thread that sends them. */
    static final class RawTcpLink {
        private final Socket socket;
        private final DataOutputStream out;
        private final Runnable onFailure;
        private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
        private volatile boolean closed;

        RawTcpLink(Socket socket, int buffer, Runnable onFailure) throws IOException {
            this.socket = socket;
            this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), buffer));
            this.onFailure = onFailure;
        }

        Socket socket() {
            return socket;
        }

        void enqueue(byte[] frame) {
            queue.add(frame);
        }

        /** Writes frames as they come; flushes whenever nothing more is queued. */
        void run() {
            try {
                while (!closed) {
                    byte[] frame = queue.take();
                    do {
                        out.write(frame);
                    } while ((frame = queue.poll()) != null);
                    out.flush();
                }
            } catch (IOException e) {
                onFailure.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void close() {
            closed = true;
            queue.add(new byte[0]); // wakes the sender, which then stops
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
