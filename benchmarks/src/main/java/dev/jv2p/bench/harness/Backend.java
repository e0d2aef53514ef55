package dev.jv2p.bench.harness;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One replicated map implementation as a {@link BenchNode} drives it. Each backend maps these
 * calls onto its own public API, nothing more, so that every system does the same work.
 */
interface Backend extends AutoCloseable {

    /**
     * Starts this node and joins the others. Node 0 starts the cluster; every other node
     * contacts node 0 ({@code ports.get(0)}); {@code ports.get(index)} is this node's own port.
     * Returns when this node is a member.
     */
    void start(int index, List<Integer> ports) throws Exception;

    /**
     * Work a backend does after joining before it is usable (JGroups fetches the map's state
     * here); runs while the node already watches for entries. Default: nothing.
     */
    default void load() throws Exception {}

    /** Transport counters for the harness log, if the system offers them; default none. */
    default String stats() {
        return "";
    }

    /** Broadcast copies this node relayed so far, if the system counts them; default -1 (not counted). */
    default long relayed() {
        return -1;
    }

    /** How many members (this node included) this node sees. */
    int members();

    void put(String key, String value);

    void putAll(Map<String, String> entries);

    boolean containsKey(String key);

    int size();

    /**
     * Calls {@code listener} with key and value for every entry this node learns from another
     * node, until the returned registration is closed.
     */
    AutoCloseable onRemoteUpdate(BiConsumer<String, String> listener);

    @Override
    void close() throws Exception;
}
