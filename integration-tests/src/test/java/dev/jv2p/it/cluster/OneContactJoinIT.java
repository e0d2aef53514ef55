package dev.jv2p.it.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16's join acceptance in containers: eight nodes of the user image, the broadcast tree on,
 * started at once, every one told to join the same contact, {@code node-a}, which takes only two
 * peers: it refers the others to its peers, and those below their floor of peers dial what they
 * learnt. The overlay must end up one component, and each broadcast must reach every node once.
 */
@ClusterTest
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class OneContactJoinIT {
    private static final List<String> NAMES = List.of("a", "b", "c", "d", "e", "f", "g", "h");
    private static final Duration BOUND = Duration.ofSeconds(60);

    @RegisterExtension
    final ImageNodes nodes = new ImageNodes();

    @Test
    void eightNodesJoiningOneContactAtOnceFormOneOverlayAndDeliverEachBroadcastOnce() {
        List<ClusterNode> mesh = nodes.start(NAMES, OneContactJoinIT::args);

        await("one connected overlay of " + NAMES.size() + " nodes")
                .atMost(BOUND)
                .pollInterval(Duration.ofSeconds(1))
                .ignoreException(NodeCommandException.class)
                .until(() -> reachableFromFirst(mesh), n -> n == mesh.size());

        assertTrue(mesh.get(0).peerIds().size() <= 2, "the contact kept to its two peer slots");

        List<ClusterNode> senders = List.of(mesh.get(1), mesh.get(4), mesh.get(7));
        for (ClusterNode sender : senders) {
            String text = "tree-" + sender.name();
            sender.call("send " + text);
            for (ClusterNode n : mesh) {
                if (n != sender) {
                    await("node " + n.name() + " to deliver " + text)
                            .atMost(BOUND)
                            .pollInterval(Duration.ofMillis(500))
                            .until(() -> deliveries(n, text), d -> d >= 1);
                }
            }
        }
        for (ClusterNode sender : senders) {
            String text = "tree-" + sender.name();
            for (ClusterNode n : mesh) {
                assertEquals(n == sender ? 0 : 1, deliveries(n, text), "node " + n.name() + " delivered " + text);
            }
        }
    }

    /** The contact takes two peers; the others keep the default 64. Short timers, the tree on. */
    private static List<String> args(String name) {
        List<String> args = new ArrayList<>(List.of(
                "--join",
                ClusterNode.alias("a") + ":" + ClusterNode.MESH_PORT,
                "--advertise",
                ClusterNode.alias(name) + ":" + ClusterNode.MESH_PORT,
                "--broadcast-tree",
                "--join-max-delay",
                "2s",
                "--keep-alive-interval",
                "1s",
                "--keep-alive-timeout",
                "4s"));
        if (name.equals("a")) {
            args.addAll(List.of("--max-peers", "2"));
        }
        return args;
    }

    /** How many nodes the routing tables (links taken both ways) connect to the first one, itself included. */
    private static int reachableFromFirst(List<ClusterNode> mesh) {
        Map<String, Set<String>> links = new HashMap<>();
        for (ClusterNode n : mesh) {
            for (String peer : n.peerIds()) {
                links.computeIfAbsent(n.id(), k -> new HashSet<>()).add(peer);
                links.computeIfAbsent(peer, k -> new HashSet<>()).add(n.id());
            }
        }
        Set<String> reached = new HashSet<>(List.of(mesh.get(0).id()));
        ArrayDeque<String> next = new ArrayDeque<>(reached);
        while (!next.isEmpty()) {
            for (String peer : links.getOrDefault(next.poll(), Set.of())) {
                if (reached.add(peer)) {
                    next.add(peer);
                }
            }
        }
        return reached.size();
    }

    /** The {@code message} events with the one packet {@code text} in the node's output. */
    private static int deliveries(ClusterNode n, String text) {
        Matcher m = Pattern.compile("\"event\":\"message\".*\"packets\":\\[\"" + Pattern.quote(text) + "\"\\]")
                .matcher(n.logs());
        int count = 0;
        while (m.find()) {
            count++;
        }
        return count;
    }
}
