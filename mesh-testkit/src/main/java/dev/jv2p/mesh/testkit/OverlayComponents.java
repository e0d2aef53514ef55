package dev.jv2p.mesh.testkit;

import dev.jv2p.mesh.MeshSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The connected components of a simulation's overlay among its live nodes, from their routing
 * tables: a link counts if either end lists it (a broadcast crosses it either way).
 */
final class OverlayComponents {
    private final List<MeshSocket> nodes;
    private final List<Integer> live;
    private final Map<Integer, Set<Integer>> links = new HashMap<>();

    OverlayComponents(List<MeshSocket> nodes, List<Integer> live) {
        this.nodes = nodes;
        this.live = live;
        Map<String, Integer> byId = new HashMap<>();
        for (int i : live) {
            byId.put(nodes.get(i).id(), i);
        }
        for (int i : live) {
            for (String peer : nodes.get(i).routingTable().keySet()) {
                Integer j = byId.get(peer);
                if (j != null) {
                    links.computeIfAbsent(i, k -> new HashSet<>()).add(j);
                    links.computeIfAbsent(j, k -> new HashSet<>()).add(i);
                }
            }
        }
    }

    /** The live nodes connected to node {@code source}, itself included. */
    Set<Integer> of(int source) {
        Set<Integer> reached = new HashSet<>(List.of(source));
        ArrayDeque<Integer> next = new ArrayDeque<>(reached);
        while (!next.isEmpty()) {
            for (int j : links.getOrDefault(next.poll(), Set.of())) {
                if (reached.add(j)) {
                    next.add(j);
                }
            }
        }
        return reached;
    }

    /** How many components the live nodes form. */
    int count() {
        return all().size();
    }

    /** Each component's size, its nodes when it has at most 10, and its nodes' peer counts. */
    String describe() {
        StringBuilder out = new StringBuilder();
        for (Set<Integer> c : all()) {
            List<Integer> peers = new ArrayList<>();
            for (int j : c) {
                peers.add(nodes.get(j).routingTable().size());
            }
            out.append(out.length() == 0 ? "" : "; ").append(c.size()).append(" nodes");
            if (c.size() <= 10) {
                out.append(' ').append(new TreeSet<>(c));
            }
            out.append(", peers ").append(peers);
        }
        return out.toString();
    }

    private List<Set<Integer>> all() {
        List<Set<Integer>> components = new ArrayList<>();
        Set<Integer> reached = new HashSet<>();
        for (int i : live) {
            if (!reached.contains(i)) {
                Set<Integer> c = of(i);
                reached.addAll(c);
                components.add(c);
            }
        }
        return components;
    }
}
