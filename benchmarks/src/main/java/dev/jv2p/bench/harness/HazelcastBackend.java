package dev.jv2p.bench.harness;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.EntryAdapter;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.replicatedmap.ReplicatedMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * Hazelcast {@link ReplicatedMap} with default map settings (BINARY in-memory format, async
 * fill-up on): a member per process, TCP-IP join listing every node at 127.0.0.1, multicast and
 * auto-detection off, port auto-increment off, phone-home off. The pre-join wait is set to 0 s
 * (its default is 5 s of idle waiting, which would dominate the late-join figure).
 */
final class HazelcastBackend extends MapBackend {
    private HazelcastInstance instance;
    private ReplicatedMap<String, String> map;

    @Override
    public void start(int index, List<Integer> ports) {
        Config config = new Config();
        config.setClusterName("jv2p-bench");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(ports.get(index)).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        for (int port : ports) {
            join.getTcpIpConfig().addMember("127.0.0.1:" + port);
        }
        instance = Hazelcast.newHazelcastInstance(config);
        map = instance.getReplicatedMap("jv2p-bench");
    }

    @Override
    public int members() {
        return instance.getCluster().getMembers().size();
    }

    @Override
    protected Map<String, String> map() {
        return map;
    }

    @Override
    public AutoCloseable onRemoteUpdate(BiConsumer<String, String> listener) {
        UUID id = map.addEntryListener(new EntryAdapter<String, String>() {
            @Override
            public void entryAdded(EntryEvent<String, String> event) {
                listener.accept(event.getKey(), event.getValue());
            }

            @Override
            public void entryUpdated(EntryEvent<String, String> event) {
                listener.accept(event.getKey(), event.getValue());
            }
        });
        return () -> map.removeEntryListener(id);
    }

    @Override
    public void close() {
        if (instance != null) {
            instance.shutdown();
        }
    }
}
