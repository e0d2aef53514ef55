package dev.jv2p.sync.net;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.mesh.testkit.TestMesh;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Starts sync nodes of one codec on a {@link TestMesh} (an emulated in-memory network, in real
 * time) and closes them all; {@link #start(TestMesh, String, String)} puts one on a given mesh,
 * in virtual time for timing tests.
 */
final class SyncNodes implements AutoCloseable {
    private final TestMesh mesh = TestMesh.realTime();
    private final String codec;
    /** Nodes on loopback TCP instead of the emulated network: a restarted node may bind its old port. */
    private final boolean tcp;

    private int started;

    /** Nodes with js2p's codec, msgpack. */
    SyncNodes() {
        this(Protocol.DEFAULT_CODEC);
    }

    /** Nodes whose meshes use the codec named {@code codec}. */
    SyncNodes(String codec) {
        this(codec, false);
    }

    private SyncNodes(String codec, boolean tcp) {
        this.codec = codec;
        this.tcp = tcp;
    }

    /** Nodes with js2p's codec on loopback TCP, where a node started again may bind its old address. */
    static SyncNodes overLoopbackTcp() {
        return new SyncNodes(Protocol.DEFAULT_CODEC, true);
    }

    SyncSocket start() {
        return start(b -> b, m -> m);
    }

    SyncSocket start(UnaryOperator<SyncConfig.Builder> sync, UnaryOperator<MeshConfig.Builder> custom) {
        String name = "node-" + ++started;
        MeshConfig m = custom.apply(tcp ? settings(MeshConfig.builder(), codec) : meshConfig(mesh, name, codec))
                .build();
        SyncConfig.Builder s = SyncConfig.builder().mesh(m).antiEntropyInterval(Duration.ofMillis(500));
        return mesh.track(SyncSocket.start(sync.apply(s).build()));
    }

    /**
     * A node named {@code name} on {@code mesh} (an emulated network, in virtual time if {@code
     * mesh} is), configured as {@link #start()} configures its nodes; closed with {@code mesh}.
     */
    static SyncSocket start(TestMesh mesh, String name, String codec) {
        return start(mesh, name, codec, s -> s, m -> m);
    }

    /** As {@link #start(TestMesh, String, String)}, the configurations changed by {@code sync} and {@code custom}. */
    static SyncSocket start(
            TestMesh mesh,
            String name,
            String codec,
            UnaryOperator<SyncConfig.Builder> sync,
            UnaryOperator<MeshConfig.Builder> custom) {
        MeshConfig m = custom.apply(meshConfig(mesh, name, codec)).build();
        SyncConfig.Builder s = SyncConfig.builder().mesh(m).antiEntropyInterval(Duration.ofMillis(500));
        return mesh.track(SyncSocket.start(sync.apply(s).build()));
    }

    private static MeshConfig.Builder meshConfig(TestMesh mesh, String name, String codec) {
        return settings(mesh.config(name), codec);
    }

    private static MeshConfig.Builder settings(MeshConfig.Builder b, String codec) {
        return b.protocol(Protocol.defaultMesh().withCodec(codec))
                .keepAliveInterval(Duration.ofMillis(500))
                .keepAliveTimeout(Duration.ofSeconds(15));
    }

    /** Connects {@code from} to {@code to}; returns once {@code from} has accepted the handshake. */
    static void join(SyncSocket from, SyncSocket to) {
        from.mesh()
                .connect(
                        to.mesh().localAddress().getHostString(),
                        to.mesh().localAddress().getPort())
                .join();
    }

    @Override
    public void close() {
        mesh.close();
    }

    /** A clock tests move by hand. */
    static final class ManualClock extends Clock {
        private final AtomicLong millis;

        ManualClock(long epochSeconds) {
            this.millis = new AtomicLong(epochSeconds * 1000);
        }

        void advanceSeconds(long s) {
            millis.addAndGet(s * 1000);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }
}
