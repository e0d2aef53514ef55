package dev.jv2p.it.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A burst of {@code set} commands written to a node from inside its container, one control
 * connection for the whole burst, with the writer's log of acknowledged writes: {@code
 * jv2pctl} appends each answer line to {@code /tmp/acks-<prefix>} as soon as the node gives it,
 * i.e. once the {@code set} call has returned. The log is in the container's own file system,
 * so it survives a {@code kill -9} of the node and is read back after the restart.
 */
final class WriteBurst {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClusterNode node;
    private final String prefix;
    private final CompletableFuture<Void> writer;

    private WriteBurst(ClusterNode node, String prefix, int count) {
        this.node = node;
        this.prefix = prefix;
        // keys <prefix>0 .. <prefix>(count-1), each written with its own number as value
        String script = "args=(); for i in $(seq 0 " + (count - 1) + "); do args+=(\"set " + prefix + "$i $i\"); done; "
                + "exec jv2pctl \"${args[@]}\" > " + log();
        this.writer = CompletableFuture.runAsync(() -> {
            try {
                node.container().execInContainer("bash", "-c", script);
            } catch (IOException | RuntimeException e) {
                // the node was killed under the writer: expected
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Starts writing {@code count} keys {@code <prefix>N} to {@code node} in the background. */
    static WriteBurst start(ClusterNode node, String prefix, int count) {
        return new WriteBurst(node, prefix, count);
    }

    private String log() {
        return "/tmp/acks-" + prefix;
    }

    /** How many writes the node has acknowledged so far (the node must be running). */
    int acknowledged() {
        return acknowledgedKeys().size();
    }

    /** The keys whose {@code set} was answered {@code ok}, in the order written. */
    Set<String> acknowledgedKeys() {
        String text;
        try {
            text = node.container().execInContainer("cat", log()).getStdout();
        } catch (IOException e) {
            throw new NodeCommandException("node " + node.name() + ": cannot read " + log(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeCommandException("interrupted", e);
        }
        Set<String> keys = new LinkedHashSet<>();
        for (String line : text.split("\n")) {
            JsonNode answer = parse(line);
            if (answer != null && answer.path("ok").asBoolean()) {
                keys.add(answer.path("key").asText());
            }
        }
        return keys;
    }

    /** Waits until the writer's exec has ended (after the kill, or after the last write). */
    void awaitWriterEnded() {
        writer.join();
    }

    private static JsonNode parse(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(line);
        } catch (IOException torn) {
            return null; // not possible for whole lines; tolerated for a last line cut by the kill
        }
    }

    /** Of {@code keys}, those {@code node} does not hold (read in one control connection per 200 keys). */
    static List<String> missing(ClusterNode node, Set<String> keys) {
        List<String> all = new ArrayList<>(keys);
        List<String> missing = new ArrayList<>();
        for (int from = 0; from < all.size(); from += 200) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 200));
            List<JsonNode> answers =
                    node.call(chunk.stream().map(k -> "get " + k).toArray(String[]::new));
            for (int i = 0; i < chunk.size(); i++) {
                JsonNode v = answers.get(i).get("value");
                if (v == null || v.isNull()) {
                    missing.add(chunk.get(i));
                }
            }
        }
        return missing;
    }
}
