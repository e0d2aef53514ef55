package dev.jv2p.bench.harness;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshStats;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.sync.Key;
import dev.jv2p.sync.MetaTuple;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncListener;
import dev.jv2p.sync.SyncSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * jv2p: a {@link SyncSocket} with default settings (leasing on, msgpack codec, Plaintext), or
 * another codec or transport by name, with the broadcast tree as configured by default or turned
 * on or off. {@code TLS} is found through the SPI, so each node gets an
 * ephemeral Ed25519 identity, accepts any peer key, and signs and verifies every write. Node {@code i > 0} connects to node 0; the mesh's peer
 * exchange connects the rest.
 */
final class Jv2pBackend implements Backend {
    private final String codec;
    private final String transport;
    /** The broadcast tree on or off; null leaves {@link MeshConfig}'s default. */
    private final Boolean tree;

    private SyncSocket socket;

    Jv2pBackend(String codec, String transport, Boolean tree) {
        this.codec = codec;
        this.transport = transport;
        this.tree = tree;
    }

    @Override
    public void start(int index, List<Integer> ports) {
        Protocol protocol = Protocol.defaultMesh().withCodec(codec).withEncryption(transport);
        MeshConfig.Builder mesh = MeshConfig.builder()
                .bindHost("127.0.0.1")
                .port(ports.get(index))
                .protocol(protocol);
        if (tree != null) {
            mesh.broadcastTree(tree);
        }
        socket = SyncSocket.start(SyncConfig.builder().mesh(mesh.build()).build());
        if (index > 0) {
            BenchNode.emit("dialing " + System.nanoTime());
            socket.mesh().connect("127.0.0.1", ports.get(0)).join();
        }
    }

    @Override
    public int members() {
        return socket.mesh().routingTable().size() + 1;
    }

    @Override
    public String stats() {
        MeshStats s = socket.mesh().stats();
        return "framesOut=" + s.framesOut() + " bytesOut=" + s.bytesOut() + " framesIn=" + s.framesIn()
                + " bytesIn=" + s.bytesIn() + " relayed=" + s.relayed() + " duplicatesDropped="
                + s.duplicatesDropped();
    }

    @Override
    public long relayed() {
        return socket.mesh().stats().relayed();
    }

    @Override
    public void put(String key, String value) {
        socket.set(key, value);
    }

    @Override
    public void putAll(Map<String, String> entries) {
        socket.update(entries);
    }

    @Override
    public boolean containsKey(String key) {
        return socket.containsKey(key);
    }

    @Override
    public int size() {
        return socket.size();
    }

    @Override
    public AutoCloseable onRemoteUpdate(BiConsumer<String, String> listener) {
        String self = socket.id();
        return socket.addListener(new SyncListener() {
            @Override
            public void onUpdate(SyncSocket s, Key key, Object value, MetaTuple meta) {
                if (!self.equals(meta.owner()) && value instanceof String v) {
                    listener.accept(new String(key.bytes(), StandardCharsets.UTF_8), v);
                }
            }
        });
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.close();
        }
    }
}
