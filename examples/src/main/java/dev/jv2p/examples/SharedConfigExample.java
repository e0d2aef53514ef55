package dev.jv2p.examples;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.sync.Key;
import dev.jv2p.sync.MetaTuple;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncListener;
import dev.jv2p.sync.SyncSocket;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A configuration map shared by two services: one writes settings, the other reacts to them
 * through an update listener (called on the node's callback thread, never the network's).
 *
 * <p>Run: {@code mvn -q install -DskipTests && mvn -q -pl examples exec:java -Dexec.mainClass=dev.jv2p.examples.SharedConfigExample}
 */
public final class SharedConfigExample {
    private SharedConfigExample() {}

    /** Runs the example and prints what happened. */
    public static void main(String[] args) throws InterruptedException {
        System.out.println(run());
    }

    /** Runs the example and returns what the service applied, line by line. */
    public static String run() throws InterruptedException {
        SyncConfig config = SyncConfig.builder()
                .mesh(MeshConfig.builder().port(0).build())
                .subnet("config")
                .build();
        try (SyncSocket admin = SyncSocket.start(config);
                SyncSocket service = SyncSocket.start(config)) {
            service.mesh()
                    .connect("127.0.0.1", admin.mesh().localAddress().getPort())
                    .join();

            CountDownLatch applied = new CountDownLatch(2);
            StringBuilder log = new StringBuilder();
            service.addListener(new SyncListener() {
                @Override
                public void onUpdate(SyncSocket s, Key key, Object value, MetaTuple meta) {
                    synchronized (log) {
                        log.append("service applies ")
                                .append(key)
                                .append(" = ")
                                .append(value)
                                .append('\n');
                    }
                    applied.countDown();
                }
            });

            admin.set("pool.size", 16L);
            admin.applyDelta("feature.flags", Map.of("dark-mode", true));
            if (!applied.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the service did not see the settings");
            }
            synchronized (log) {
                return log.toString();
            }
        }
    }
}
