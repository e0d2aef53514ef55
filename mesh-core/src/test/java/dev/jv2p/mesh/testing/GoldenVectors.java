package dev.jv2p.mesh.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The golden vectors captured from js2p 0.7.870 (spec §18), read once from the class path
 * resource {@value #RESOURCE}, with typed access to the parts tests share.
 *
 * <p>Accessors use {@link JsonNode#required}, so a vector file that lost a field makes the
 * test fail loudly instead of comparing against nothing. The helper is thread-safe: the
 * tree is loaded once and only read afterwards.
 */
public final class GoldenVectors {

    /** Where the vectors live on the test class path. */
    public static final String RESOURCE = "/vectors/js2p-0.7-vectors.json";

    private static final HexFormat HEX = HexFormat.of();

    private GoldenVectors() {}

    /** The whole vector file. */
    public static JsonNode root() {
        return Holder.ROOT;
    }

    /** {@code standalone}: protocol ids, base58, node ids and the 16 encoded messages. */
    public static JsonNode standalone() {
        return root().required("standalone");
    }

    /**
     * Every captured connection in file order: the session (A-B, A-C), the probes (N-R1,
     * then one connection per destructive or edge test) and the three leasing connections.
     */
    public static List<Connection> connections() {
        return Holder.CONNECTIONS;
    }

    /** All frames of all {@link #connections()}, in order. */
    public static List<Frame> allFrames() {
        List<Frame> all = new ArrayList<>();
        for (Connection c : connections()) {
            all.addAll(c.frames());
        }
        return all;
    }

    /** Lower-case hex to bytes. */
    public static byte[] bytes(String hex) {
        return HEX.parseHex(hex);
    }

    /** Bytes to lower-case hex, as the vectors write them. */
    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /**
     * Converts a {@code packets_typed} node ({@code {type, format, value|hex|items|entries}})
     * to the jv2p value model: {@code int} to {@link Long}, {@code float} to {@link Double}
     * (also when the JSON writes an integral number, as for 2^31 sent as float64), {@code str}
     * to {@link String}, {@code bin} to {@code byte[]}, {@code array} to a list, {@code map} to
     * an insertion-ordered map in wire order, {@code nil} to {@code null}.
     *
     * @throws IllegalArgumentException on a type this helper does not know, so a new kind of
     *     vector cannot pass unnoticed
     */
    public static Object value(JsonNode typed) {
        String type = typed.required("type").asText();
        switch (type) {
            case "nil":
                return null;
            case "bool":
                return requireKind(typed.required("value"), JsonNode::isBoolean, type)
                        .booleanValue();
            case "int": {
                JsonNode v = requireKind(typed.required("value"), JsonNode::isIntegralNumber, type);
                return v.canConvertToLong() ? (Object) v.longValue() : v.bigIntegerValue();
            }
            case "float":
                return requireKind(typed.required("value"), JsonNode::isNumber, type)
                        .doubleValue();
            case "str":
                return requireKind(typed.required("value"), JsonNode::isTextual, type)
                        .textValue();
            case "bin":
                return bytes(typed.required("hex").asText());
            case "array": {
                List<Object> list = new ArrayList<>();
                for (JsonNode item : typed.required("items")) {
                    list.add(value(item));
                }
                return list;
            }
            case "map": {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (JsonNode entry : typed.required("entries")) {
                    if (!entry.isArray() || entry.size() != 2) {
                        throw new IllegalArgumentException("map entry is not a [key, value] pair: " + entry);
                    }
                    Object key = value(entry.get(0));
                    // Same key rule as Values.normalize: a bin key names the text it encodes.
                    map.put(key instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : key, value(entry.get(1)));
                }
                return map;
            }
            default:
                throw new IllegalArgumentException("unknown packets_typed type '" + type + "' in " + typed);
        }
    }

    private static JsonNode requireKind(JsonNode node, Predicate<JsonNode> kind, String type) {
        if (!kind.test(node)) {
            throw new IllegalArgumentException("a '" + type + "' vector value has JSON kind " + node.getNodeType());
        }
        return node;
    }

    /** One captured TCP connection. */
    public record Connection(String name, List<Frame> frames) {}

    /** One captured frame: the exact bytes on the wire plus what the capture decoded. */
    public record Frame(String connection, JsonNode json) {

        public int index() {
            return json.required("index").asInt();
        }

        /** The node that wrote the frame, e.g. {@code A}, {@code R1}. */
        public String from() {
            return json.required("from").asText();
        }

        public String to() {
            return json.required("to").asText();
        }

        /** The bytes on the TCP stream, length prefix included. */
        public byte[] wire() {
            return bytes(json.required("hex").asText());
        }

        /** The body: the wire bytes after the 4-byte prefix. */
        public byte[] body() {
            byte[] wire = wire();
            return Arrays.copyOfRange(wire, 4, wire.length);
        }

        public long lengthPrefix() {
            return json.required("length_prefix").asLong();
        }

        /** {@code none}, {@code zlib} or {@code gzip}: what the receiver had to undo. */
        public String compression() {
            return json.required("compression").asText();
        }

        /** False for the deliberately corrupted or mis-compressed frames. */
        public boolean checksumOk() {
            return json.required("checksum_ok").asBoolean();
        }

        /** The first 32 bytes of the decompressed body as captured. */
        public byte[] checksum() {
            return bytes(json.required("checksum_hex").asText());
        }

        /** Whether the capture could decode this frame (false for the corrupted ones). */
        public boolean hasPackets() {
            return json.hasNonNull("packets_typed") && json.hasNonNull("msgpack_hex");
        }

        public byte[] msgpack() {
            return bytes(json.required("msgpack_hex").asText());
        }

        public JsonNode packetsTyped() {
            return json.required("packets_typed");
        }

        /** True for frames a scripted probe built (they carry the probe's intent). */
        public boolean builtByProbe() {
            return json.has("sender_note");
        }

        /** The method names a js2p receiver tried, in order, as recorded; empty if none. */
        public List<String> recordedAttempts() {
            JsonNode attempts = json.get("receiver_decompression_attempts");
            if (attempts == null || attempts.isNull()) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            for (JsonNode attempt : attempts) {
                names.add(attempt.get(0).asText());
            }
            return names;
        }

        /** Whether the last recorded attempt succeeded (js2p stops at the first success). */
        public boolean lastRecordedAttemptSucceeded() {
            JsonNode attempts = json.get("receiver_decompression_attempts");
            return attempts != null
                    && !attempts.isNull()
                    && attempts.size() > 0
                    && "ok".equals(attempts.get(attempts.size() - 1).get(1).asText());
        }

        /** A name for assertion messages, e.g. {@code session A-B #4 A->B}. */
        public String label() {
            return connection + " #" + index() + " " + from() + "->" + to();
        }

        @Override
        public String toString() {
            return label();
        }
    }

    private static final class Holder {
        static final JsonNode ROOT = load();
        static final List<Connection> CONNECTIONS = collectConnections(ROOT);

        private static JsonNode load() {
            try (InputStream in = GoldenVectors.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is not on the test class path");
                }
                return new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
        }

        private static List<Connection> collectConnections(JsonNode root) {
            List<Connection> out = new ArrayList<>();
            for (JsonNode c : root.required("session").required("connections")) {
                out.add(connection("session " + c.required("connection").asText(), c));
            }
            JsonNode probes = root.required("probes");
            JsonNode r1 = probes.required("r1_connection");
            out.add(connection("probes " + r1.required("connection").asText(), r1));
            for (JsonNode test : probes.required("destructive_and_edge_tests")) {
                // All of these are "N-Rx"; the test text is what tells them apart.
                out.add(connection("probes [" + test.required("test").asText() + "]", test));
            }
            for (JsonNode node : root.required("leasing").required("nodes")) {
                JsonNode c = node.required("connection");
                out.add(connection("leasing " + c.required("connection").asText(), c));
            }
            return Collections.unmodifiableList(out);
        }

        private static Connection connection(String name, JsonNode c) {
            List<Frame> frames = new ArrayList<>();
            for (JsonNode f : c.required("frames")) {
                // Entries such as {"event": "connection closed"} record what happened, not bytes.
                if (f.has("hex")) {
                    frames.add(new Frame(name, f));
                }
            }
            return new Connection(name, List.copyOf(frames));
        }
    }
}
