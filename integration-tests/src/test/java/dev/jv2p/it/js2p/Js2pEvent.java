package dev.jv2p.it.js2p;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One event line from the driver (everything except command results). {@link #type()} is one of
 * the {@code TYPE_*} constants; {@link #seq()} orders all lines of one driver.
 *
 * @param type the line's {@code type}
 * @param seq the driver's line counter (strictly increasing per node)
 * @param json the whole line
 */
public record Js2pEvent(String type, long seq, JsonNode json) {
    /** js2p 'connect': the routing table went from empty to non-empty (fires before the peer is added). */
    public static final String CONNECT = "connect";
    /** js2p 'message': a user message (sub-flag 0 or 2) arrived; the driver already recv()ed it. */
    public static final String MESSAGE = "message";
    /** js2p SyncSocket 'update'. */
    public static final String UPDATE = "update";
    /** js2p SyncSocket 'delete' (never fires in js2p 0.7.870). */
    public static final String DELETE = "delete";
    /** Harness instrumentation: a peer id was added to js2p's routing table. */
    public static final String PEER_ADDED = "peer_added";
    /** Harness instrumentation: an existing routing-table entry was overwritten (e.g. second handshake). */
    public static final String PEER_REPLACED = "peer_replaced";
    /** Harness instrumentation: a peer id was removed from js2p's routing table. */
    public static final String PEER_REMOVED = "peer_removed";
    /** An exception inside js2p: source "connection" (js2p caught it and dropped the peer), "uncaught", ... */
    public static final String EXCEPTION = "exception";

    /** A field of the line as a string, or {@code null}. */
    public String text(String field) {
        JsonNode n = json.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    /** A field of the line converted to the value model. */
    public Object value(String field) {
        return Js2pJson.toValue(json.get(field));
    }

    public boolean is(String eventType) {
        return type.equals(eventType);
    }

    // ---- message

    /** message: the originating node id (packet element 1). */
    public String sender() {
        return text("sender");
    }

    /** message: hex of the 32-byte message id (SHA-256 checksum). */
    public String msgId() {
        return text("msgId");
    }

    /** message: the packet time in seconds. */
    public long time() {
        return json.get("time").asLong();
    }

    /** message: main flag (0 broadcast, 2 whisper). */
    public int mainFlag() {
        return json.get("mainFlag").asInt();
    }

    /**
     * message: what js2p's {@code Message.packets} returns: the payload <em>with</em> the sub-flag
     * first, e.g. {@code [0, "hello"]} for {@code send(["hello"])} and {@code [2, "ack"]} for a reply.
     */
    @SuppressWarnings("unchecked")
    public List<Object> packets() {
        return (List<Object>) value("packets");
    }

    /** message: the packets after the sub-flag, i.e. what the sender passed to send()/reply(). */
    public List<Object> userPackets() {
        List<Object> p = packets();
        return p.isEmpty() ? p : p.subList(1, p.size());
    }

    // ---- update / delete

    /** update/delete: the key as text (js2p keys are UTF-8 strings). */
    public String key() {
        return text("key");
    }

    /** update/delete: "bin" when js2p handed the key over as a Buffer (local calls, live stores), "str" for transfers. */
    public String keyType() {
        return text("keyType");
    }

    /** update: the new value (for deltas, the whole merged mapping). */
    public Object updateValue() {
        return value("value");
    }

    /** update: metadata owner. */
    public String owner() {
        JsonNode meta = json.get("meta");
        return meta == null || meta.isNull() ? null : meta.path("owner").asText(null);
    }

    /** update: metadata timestamp (seconds). */
    public long timestamp() {
        return json.path("meta").path("timestamp").asLong();
    }

    // ---- peers

    /** peer_added/peer_replaced/peer_removed: the peer's node id. */
    public String peerId() {
        return text("peerId");
    }

    /** connect/peer_*: routing-table size right after the event. */
    public int routingTableSize() {
        return json.path("routingTableSize").asInt();
    }

    // ---- exception

    /** exception: where it was caught: "connection", "uncaught", "unhandledRejection", "server". */
    public String source() {
        return text("source");
    }

    /** exception: the JavaScript error name, e.g. "TypeError". */
    public String errorName() {
        return json.path("error").path("name").asText(null);
    }

    /** exception: the JavaScript error message. */
    public String errorMessage() {
        return json.path("error").path("message").asText(null);
    }

    /** exception: the JavaScript stack, if any. */
    public String errorStack() {
        return json.path("error").path("stack").asText(null);
    }

    /** The whole line as a value-model map. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> asMap() {
        return (Map<String, Object>) Js2pJson.toValue(json);
    }

    @Override
    public String toString() {
        return json.toString();
    }
}
