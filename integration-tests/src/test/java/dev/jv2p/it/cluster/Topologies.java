package dev.jv2p.it.cluster;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Waits on the shape of the mesh, as the nodes' routing tables report it. */
final class Topologies {
    static final Duration MESH_TIMEOUT = Duration.ofSeconds(60);

    private Topologies() {}

    /** Waits until the running nodes' links connect them all (directly or through others). */
    static void awaitConnected(Cluster cluster) {
        await("the mesh to connect every node")
                .atMost(MESH_TIMEOUT)
                .pollInterval(Duration.ofMillis(250))
                .ignoreException(NodeCommandException.class)
                .until(() -> connected(cluster.readAll(ClusterNode::peerAliases)));
    }

    /** Waits until every node in {@code side} has no peer in {@code other}, and the other way round. */
    static void awaitSeparated(Cluster cluster, Collection<ClusterNode> side, Collection<ClusterNode> other) {
        Set<String> left = aliases(side);
        Set<String> right = aliases(other);
        await("the cut to drop the links between " + left + " and " + right)
                .atMost(MESH_TIMEOUT)
                .pollInterval(Duration.ofMillis(250))
                .ignoreException(NodeCommandException.class)
                .until(() -> {
                    Map<String, Set<String>> peers = cluster.readAll(ClusterNode::peerAliases);
                    return side.stream().noneMatch(n -> intersects(peers.get(n.name()), right))
                            && other.stream().noneMatch(n -> intersects(peers.get(n.name()), left));
                });
    }

    /** Waits until each node's peers are exactly the aliases {@code expected} gives for it. */
    static void awaitPeers(Cluster cluster, Map<String, Set<String>> expected) {
        await("peers to be exactly " + expected)
                .atMost(MESH_TIMEOUT)
                .pollInterval(Duration.ofMillis(250))
                .ignoreException(NodeCommandException.class)
                .until(() -> cluster.readAll(ClusterNode::peerAliases), expected::equals);
    }

    static Set<String> aliases(Collection<ClusterNode> nodes) {
        return nodes.stream().map(ClusterNode::alias).collect(Collectors.toSet());
    }

    private static boolean intersects(Set<String> a, Set<String> b) {
        return a != null && a.stream().anyMatch(b::contains);
    }

    private static boolean connected(Map<String, Set<String>> peersByNode) {
        if (peersByNode.isEmpty()) {
            return false;
        }
        Set<String> all = peersByNode.keySet().stream().map(ClusterNode::alias).collect(Collectors.toSet());
        Map<String, Set<String>> byAlias = peersByNode.entrySet().stream()
                .collect(Collectors.toMap(e -> ClusterNode.alias(e.getKey()), Map.Entry::getValue));
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(all.iterator().next());
        while (!todo.isEmpty()) {
            String n = todo.poll();
            if (seen.add(n)) {
                byAlias.getOrDefault(n, Set.of()).stream().filter(all::contains).forEach(todo::add);
            }
        }
        return seen.equals(all);
    }
}
