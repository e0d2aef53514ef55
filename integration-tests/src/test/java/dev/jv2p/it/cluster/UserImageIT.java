package dev.jv2p.it.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user image (the repository's {@code Dockerfile}) run the way the README shows: every
 * container is given the same {@code --join jv2p:4000}, a name with one address per container,
 * and a named volume at {@code /data}. Then {@code kill -9} (SIGKILL to the container) in the
 * middle of a burst of writes, of one node and of all of them at once (issue 17's acceptance).
 */
@ClusterTest
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class UserImageIT {
    /** Timers short enough that a kill is noticed and repaired within seconds (defaults: 5 s/20 s, 10 s, 30 s). */
    private static final String[] FAST = {
        "--join", ImageNodes.SERVICE + ":4000",
        "--join-max-delay", "2s",
        "--keep-alive-interval", "1s",
        "--keep-alive-timeout", "4s",
        "--anti-entropy-interval", "2s"
    };

    private static final Duration BOUND = Duration.ofSeconds(60);
    /** Writes started in each burst; the node is killed after {@link #KILL_AFTER} of them were answered. */
    private static final int BURST = 5000;

    private static final int KILL_AFTER = 200;
    /** A bucket digest's most encoded bytes: 256 hashes of 16 bytes, 4,096 watermarks of at most 9. */
    private static final long DIGEST_BYTES = 256 * 18 + 4096 * 9;

    private static final Logger LOG = LoggerFactory.getLogger(UserImageIT.class);

    @RegisterExtension
    final ImageNodes nodes = new ImageNodes();

    @Test
    void threeContainersJoiningOneNameFormOneMeshAndShareWrites() {
        List<ClusterNode> mesh = nodes.start(List.of("a", "b", "c"), FAST);

        awaitFullMesh(mesh);
        mesh.get(0).call("set greeting hello");

        for (ClusterNode n : mesh.subList(1, 3)) {
            await("node " + n.name() + " to read the greeting written on a")
                    .atMost(BOUND)
                    .until(() -> n.get("greeting"), v -> v != null && "hello".equals(v.asText()));
        }
    }

    @Test
    void aNodeKilledMidBurstInAlwaysModeKeepsEveryAnsweredWriteAndReconverges() {
        List<ClusterNode> mesh = nodes.start(List.of("a", "b", "c"), name -> args(name, "--durability", "always"));
        ClusterNode a = mesh.get(0);
        ClusterNode c = mesh.get(2);
        awaitFullMesh(mesh);
        preload(a, "p", 400);
        awaitConverged(mesh);

        WriteBurst burst = WriteBurst.start(c, "w", BURST);
        await("writes answered on c").atMost(BOUND).until(burst::acknowledged, n -> n >= KILL_AFTER);
        c.kill();
        burst.awaitWriterEnded();
        nodes.disconnect(c);
        long changedBytes = preload(a, "m", 100); // written while c is down: all c has to fetch

        c.restart();
        Set<String> answered = burst.acknowledgedKeys();
        assertTrue(answered.size() >= KILL_AFTER, "the writer's log holds the answered writes: " + answered.size());
        assertEquals(
                List.of(),
                WriteBurst.missing(c, answered),
                "answered writes missing on c after kill -9, before it rejoined");

        nodes.reconnect(c);
        awaitConverged(mesh);
        JsonNode status = c.call("status");
        long received = status.get("bytesIn").asLong();
        List<String> perPeer = new ArrayList<>();
        status.get("peers")
                .forEach(p -> perPeer.add(
                        p.get("address").asText() + ": " + p.get("bytesIn").asLong() + " bytes in "
                                + p.get("messagesIn").asLong() + " frames"));
        status.get("recentlyClosed")
                .forEach(p -> perPeer.add("closed " + p.get("address").asText() + ": "
                        + p.get("bytesIn").asLong() + " bytes in "
                        + p.get("messagesIn").asLong() + " frames"));
        long dictionary = a.call("status").get("estimatedBytes").asLong();
        // Issue 17's bound: at most twice the changed entries, plus the digests. c hears one
        // digest from each of its two peers per round of theirs (about as many as its own) and
        // one more from each when the links open; a digest is 256 bucket hashes and the
        // graveyard's 4,096 watermarks, at most DIGEST_BYTES encoded.
        long rounds = status.get("antiEntropyRounds").asLong();
        long digests = (rounds + 2) * 2 * DIGEST_BYTES;
        LOG.info(
                "rejoin of c after kill -9: received {} bytes ({}); changed entries {} bytes; {} rounds; dictionary about {} bytes",
                received,
                perPeer,
                changedBytes,
                rounds,
                dictionary);
        assertTrue(
                received <= 2 * changedBytes + digests,
                "c received " + received + " bytes on rejoin for " + changedBytes + " bytes of changed entries ("
                        + perPeer + "); the bound is twice that plus " + digests + " bytes of digests");
        assertEquals(List.of(), WriteBurst.missing(a, answered), "c's answered writes reached a");
    }

    @Test
    void everyNodeOfATlsMeshKilledAtOnceLosesNoAnsweredWriteInAlwaysOrGroupCommitMode() {
        // a writes in always mode, b in the default group-commit mode
        List<ClusterNode> mesh = nodes.start(
                List.of("a", "b", "c"),
                name -> name.equals("a")
                        ? args(name, "--transport", "TLS", "--durability", "always")
                        : args(name, "--transport", "TLS"));
        awaitFullMesh(mesh);
        List<String> ids = mesh.stream().map(ClusterNode::id).toList();

        WriteBurst always = WriteBurst.start(mesh.get(0), "x", BURST);
        WriteBurst groupCommit = WriteBurst.start(mesh.get(1), "y", BURST);
        await("writes answered on a and b")
                .atMost(BOUND)
                .until(() -> always.acknowledged() >= KILL_AFTER && groupCommit.acknowledged() >= KILL_AFTER);
        mesh.parallelStream().forEach(ClusterNode::kill);
        always.awaitWriterEnded();
        groupCommit.awaitWriterEnded();
        mesh.forEach(nodes::disconnect);

        mesh.parallelStream().forEach(ClusterNode::restart); // fails if a node comes back under another id
        Set<String> answeredOnA = always.acknowledgedKeys();
        Set<String> answeredOnB = groupCommit.acknowledgedKeys();
        assertEquals(List.of(), WriteBurst.missing(mesh.get(0), answeredOnA), "a (always) lost answered writes");
        assertEquals(List.of(), WriteBurst.missing(mesh.get(1), answeredOnB), "b (group-commit) lost answered writes");

        mesh.forEach(nodes::reconnect);
        awaitConverged(mesh);
        for (ClusterNode n : mesh) {
            assertEquals(List.of(), WriteBurst.missing(n, answeredOnA), "node " + n.name() + " lacks a's writes");
            assertEquals(List.of(), WriteBurst.missing(n, answeredOnB), "node " + n.name() + " lacks b's writes");
        }
        assertEquals(
                ids, mesh.stream().map(n -> n.call("status").get("id").asText()).toList());
        LOG.info(
                "TLS mesh after all were killed: {} and {} answered writes kept",
                answeredOnA.size(),
                answeredOnB.size());
    }

    /**
     * The timers and join of {@link #FAST}, {@code more}, and the node's alias as the address it
     * announces: a node restarted while off the network (below) has no address of its own to
     * announce; it does not need one to find its peers, which dial it under the alias.
     */
    private static List<String> args(String name, String... more) {
        List<String> all = new ArrayList<>(List.of(FAST));
        all.addAll(List.of("--advertise", ClusterNode.alias(name) + ":4000"));
        all.addAll(List.of(more));
        return all;
    }

    /**
     * Writes {@code count} keys {@code <prefix>N} of 2,000 bytes each on {@code node}; returns
     * their size (key and value bytes).
     */
    private static long preload(ClusterNode node, String prefix, int count) {
        String value = "v".repeat(2000);
        long bytes = 0;
        for (int from = 0; from < count; from += 50) {
            List<String> commands = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + 50); i++) {
                commands.add("set " + prefix + i + " " + value);
                bytes += (prefix + i).length() + value.length();
            }
            for (JsonNode answer : node.call(commands.toArray(String[]::new))) {
                assertTrue(answer.path("ok").asBoolean(), "preload on " + node.name() + ": " + answer);
            }
        }
        return bytes;
    }

    private static void awaitFullMesh(List<ClusterNode> mesh) {
        Set<String> ids = mesh.stream().map(ClusterNode::id).collect(Collectors.toSet());
        for (ClusterNode n : mesh) {
            Set<String> others = ids.stream().filter(id -> !id.equals(n.id())).collect(Collectors.toSet());
            await("node " + n.name() + " to be connected to the other " + others.size())
                    .atMost(BOUND)
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreException(NodeCommandException.class)
                    .until(n::peerIds, others::equals);
        }
    }

    /** The keys whose entries differ between the nodes, each with every node's entry; empty when none do. */
    private static String differences(List<ClusterNode> mesh) {
        List<Map<String, Entry>> dumps = mesh.stream().map(ClusterNode::dump).toList();
        Set<String> keys = new java.util.TreeSet<>();
        dumps.forEach(d -> keys.addAll(d.keySet()));
        StringBuilder b = new StringBuilder();
        for (String k : keys) {
            List<Entry> seen = dumps.stream().map(d -> d.get(k)).toList();
            if (seen.stream().distinct().count() > 1) {
                b.append(' ').append(k).append('=').append(seen);
            }
        }
        return b.length() > 2000 ? b.substring(0, 2000) + " ..." : b.toString();
    }

    private static void awaitConverged(List<ClusterNode> mesh) {
        long t0 = System.nanoTime();
        await("every node to hold the same dictionary")
                .atMost(BOUND)
                .pollInterval(Duration.ofSeconds(1))
                .ignoreException(NodeCommandException.class)
                .until(() -> differences(mesh), String::isEmpty);
        LOG.info("converged in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }
}
