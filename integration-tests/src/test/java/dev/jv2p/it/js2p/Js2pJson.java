package dev.jv2p.it.js2p;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Maps between the driver's JSON and the jv2p value model: {@code null}, {@link Boolean},
 * {@link Long}, {@link Double}, {@link String}, {@code byte[]}, {@code List<Object>} and
 * {@code Map<String, Object>} (js2p map keys are always strings).
 *
 * <p>Bytes travel as {@code {"$bin": "<hex>"}}, non-finite doubles as {@code {"$float": "NaN"}}.
 * JSON numbers without fraction or exponent become {@link Long}, others {@link Double}; note that
 * JavaScript prints an integral double (e.g. {@code 2.0}) as {@code 2}, so it arrives as a Long.
 */
public final class Js2pJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final HexFormat HEX = HexFormat.of();

    private Js2pJson() {}

    /** Converts a JSON value from the driver into the value model. */
    public static Object toValue(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : (Object) node.doubleValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>(node.size());
            for (JsonNode e : node) {
                out.add(toValue(e));
            }
            return Collections.unmodifiableList(out);
        }
        if (node.isObject()) {
            if (node.size() == 1 && node.has("$bin") && node.get("$bin").isTextual()) {
                return HEX.parseHex(node.get("$bin").textValue());
            }
            if (node.size() == 1 && node.has("$float") && node.get("$float").isTextual()) {
                return Double.valueOf(node.get("$float").textValue());
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.put(e.getKey(), toValue(e.getValue()));
            }
            return Collections.unmodifiableMap(out);
        }
        throw new IllegalArgumentException("unexpected JSON from the js2p driver: " + node);
    }

    /** Converts a value-model object (plus the usual boxed numbers and arrays) into driver JSON. */
    public static JsonNode toJson(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                return NODES.numberNode(d);
            }
            ObjectNode o = NODES.objectNode();
            o.put("$float", Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
            return o;
        }
        if (value instanceof BigInteger big) {
            return NODES.numberNode(big);
        }
        if (value instanceof BigDecimal dec) {
            return NODES.numberNode(dec);
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof byte[] bytes) {
            ObjectNode o = NODES.objectNode();
            o.put("$bin", HEX.formatHex(bytes));
            return o;
        }
        if (value instanceof Object[] array) {
            return toJson(Arrays.asList(array));
        }
        if (value instanceof Collection<?> list) {
            ArrayNode a = NODES.arrayNode();
            for (Object e : list) {
                a.add(toJson(e));
            }
            return a;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode o = NODES.objectNode();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object k = e.getKey();
                String key = k instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(k);
                o.set(key, toJson(e.getValue()));
            }
            return o;
        }
        throw new IllegalArgumentException("cannot send a " + value.getClass().getName() + " to js2p: " + value);
    }

    /** Structural equality for value-model objects, comparing {@code byte[]} by content. */
    public static boolean deepEquals(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!deepEquals(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !deepEquals(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Number x && b instanceof Number y && !(a instanceof Double) && !(b instanceof Double)) {
            return x.longValue() == y.longValue();
        }
        return Objects.equals(a, b);
    }
}
