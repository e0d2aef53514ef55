package dev.jv2p.bench.harness;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.BiConsumer;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.View;
import org.jgroups.blocks.ReplicatedHashMap;

/**
 * JGroups {@link ReplicatedHashMap} over JGroups' own {@code tcp.xml} stack (TCP, TCPPING with
 * every node listed at 127.0.0.1, no multicast anywhere), with default map options
 * (non-blocking updates). State transfer is {@code pbcast.STATE_TRANSFER}, as in {@code tcp.xml}.
 */
final class JGroupsBackend extends MapBackend {
    private static final long STATE_TIMEOUT_MS = 60_000;

    private JChannel channel;
    private ReplicatedHashMap<String, String> map;

    @Override
    public void start(int index, List<Integer> ports) throws Exception {
        StringJoiner hosts = new StringJoiner(",");
        for (int port : ports) {
            hosts.add("127.0.0.1[" + port + "]");
        }
        System.setProperty("jgroups.bind_addr", "127.0.0.1");
        System.setProperty("jgroups.bind_port", String.valueOf(ports.get(index)));
        System.setProperty("jgroups.tcpping.initial_hosts", hosts.toString());
        System.setProperty("jgroups.tcp.port_range", "0");
        channel = new JChannel("tcp.xml");
        map = new ReplicatedHashMap<>(channel);
        channel.connect("jv2p-bench");
    }

    @Override
    public void load() throws Exception {
        map.start(STATE_TIMEOUT_MS);
    }

    @Override
    public int members() {
        return channel.getView().size();
    }

    @Override
    protected Map<String, String> map() {
        return map;
    }

    @Override
    public AutoCloseable onRemoteUpdate(BiConsumer<String, String> listener) {
        ReplicatedHashMap.Notification<String, String> n = new ReplicatedHashMap.Notification<>() {
            @Override
            public void entrySet(String key, String value) {
                listener.accept(key, value);
            }

            @Override
            public void entryRemoved(String key) {}

            @Override
            public void viewChange(View view, List<Address> joined, List<Address> left) {}

            @Override
            public void contentsSet(Map<String, String> entries) {
                entries.forEach(listener);
            }

            @Override
            public void contentsCleared() {}
        };
        map.addNotifier(n);
        return () -> map.removeNotifier(n);
    }

    @Override
    public void close() {
        if (map != null) {
            map.stop();
        }
        if (channel != null) {
            channel.close();
        }
    }
}
