package dev.jv2p.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jv2p.sync.Key;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed values as the command line reads and writes them: JSON text maps to the msgpack data
 * model (integers to Long, fractions to Double), bytes are {@code {"$bin": "hex"}}, and a word
 * that is not JSON is a string.
 */
final class ValueJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ValueJson() {}

    /** Reads a typed value: JSON when the text is JSON, otherwise the text itself. */
    static Object parseValue(String text) {
        String t = text.strip();
        try {
            JsonNode node = MAPPER.readTree(t);
            if (node != null && !node.isMissingNode()) {
                return fromJson(node);
            }
        } catch (JsonProcessingException e) {
            // not JSON: a plain word or sentence is a string
        }
        return t;
    }

    /** Reads a JSON object, for deltas. */
    static Map<Object, Object> parseObject(String text) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text.strip());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a delta must be a JSON object, like {\"field\": 1}");
        }
        @SuppressWarnings("unchecked")
        Map<Object, Object> map = (Map<Object, Object>) fromJson(node);
        return map;
    }

    static Object fromJson(JsonNode n) {
        if (n.isNull()) {
            return null;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isArray()) {
            List<Object> out = new ArrayList<>();
            n.forEach(e -> out.add(fromJson(e)));
            return out;
        }
        if (n.isObject() && n.size() == 1 && n.has("$bin") && n.get("$bin").isTextual()) {
            return HexFormat.of().parseHex(n.get("$bin").textValue());
        }
        Map<Object, Object> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), fromJson(e.getValue()));
        }
        return out;
    }

    static JsonNode toJson(Object v) {
        if (v == null) {
            return NODES.nullNode();
        }
        if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (v instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (v instanceof BigInteger b) {
            return NODES.numberNode(b);
        }
        if (v instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (v instanceof String s) {
            return NODES.textNode(s);
        }
        if (v instanceof byte[] b) {
            ObjectNode o = NODES.objectNode();
            o.put("$bin", HexFormat.of().formatHex(b));
            return o;
        }
        if (v instanceof List<?> list) {
            ArrayNode a = NODES.arrayNode();
            list.forEach(e -> a.add(toJson(e)));
            return a;
        }
        if (v instanceof Map<?, ?> map) {
            ObjectNode o = NODES.objectNode();
            map.forEach((k, e) -> o.set(
                    String.valueOf(k instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : k), toJson(e)));
            return o;
        }
        return NODES.textNode(String.valueOf(v));
    }

    static String render(Object v) {
        return toJson(v).toString();
    }

    /** A key as text when it is UTF-8, else as {@code {"$bin": hex}}. */
    static JsonNode keyJson(Key k) {
        return k.isUtf8() ? NODES.textNode(new String(k.bytes(), StandardCharsets.UTF_8)) : toJson(k.bytes());
    }
}
