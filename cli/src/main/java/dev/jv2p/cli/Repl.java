package dev.jv2p.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jv2p.mesh.MeshListener;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.Message;
import dev.jv2p.mesh.Registration;
import dev.jv2p.sync.Key;
import dev.jv2p.sync.MetaTuple;
import dev.jv2p.sync.SyncListener;
import dev.jv2p.sync.SyncSocket;
import dev.jv2p.sync.SyncStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The node's command loop: one command per line, one answer line per command (plain text, or
 * one JSON object with {@code --json}), so people and scripts can drive a node alike.
 */
final class Repl implements AutoCloseable {
    static final String HELP = "commands: set KEY VALUE | get KEY | del KEY | delta KEY JSON-OBJECT | keys | items"
            + " | dump | pop KEY | peers | send TEXT | status | watch | help | quit   (values: JSON, or plain words as text)";

    private final SyncSocket node;
    private final PrintStream out;
    private final boolean json;
    private volatile boolean watching;
    private final Registration syncRegistration;
    private final Registration meshRegistration;

    Repl(SyncSocket node, PrintStream out, boolean json) {
        this.node = node;
        this.out = out;
        this.json = json;
        syncRegistration = node.addListener(new SyncListener() {
            @Override
            public void onUpdate(SyncSocket s, Key key, Object value, MetaTuple meta) {
                if (watching) {
                    ObjectNode o = event("update");
                    o.set("key", ValueJson.keyJson(key));
                    o.set("value", ValueJson.toJson(value));
                    o.put("owner", meta.owner());
                    o.put("timestamp", meta.timestamp());
                    emit(o, "update " + ValueJson.keyJson(key) + " = " + ValueJson.render(value));
                }
            }

            @Override
            public void onDelete(SyncSocket s, Key key) {
                if (watching) {
                    ObjectNode o = event("delete");
                    o.set("key", ValueJson.keyJson(key));
                    emit(o, "delete " + ValueJson.keyJson(key));
                }
            }
        });
        meshRegistration = node.mesh().addListener(new MeshListener() {
            @Override
            public void onMessage(MeshSocket socket) {
                Message m;
                while ((m = socket.recv()) != null) {
                    List<Object> payload = m.packets().subList(1, m.packets().size());
                    ObjectNode o = event("message");
                    o.put("sender", m.sender());
                    o.set("packets", ValueJson.toJson(payload));
                    emit(o, "message from " + m.sender() + ": " + ValueJson.render(payload));
                }
            }
        });
    }

    /** Stops listening to the node: a control connection's REPL ends with its connection. */
    @Override
    public void close() {
        syncRegistration.close();
        meshRegistration.close();
    }

    /** Reads commands until {@code quit} or the end of input. */
    void run(BufferedReader in) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (!execute(line)) {
                return;
            }
        }
    }

    /** Runs one command line; returns {@code false} for {@code quit}. */
    boolean execute(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return true;
        }
        String[] words = trimmed.split("\\s+", 3);
        String cmd = words[0].toLowerCase(java.util.Locale.ROOT);
        try {
            switch (cmd) {
                case "set" -> {
                    need(words, 3, "set KEY VALUE");
                    Object value = ValueJson.parseValue(words[2]);
                    acknowledged(node.setAsync(words[1], value));
                    ok(cmd, words[1], "ok");
                }
                case "get" -> {
                    need(words, 2, "get KEY");
                    Object v = node.get(words[1]);
                    ObjectNode o = answer(cmd);
                    o.put("key", words[1]);
                    o.set("value", ValueJson.toJson(v));
                    node.meta(words[1]).ifPresent(m -> {
                        o.put("owner", m.owner());
                        o.put("timestamp", m.timestamp());
                    });
                    emit(o, v == null ? "(none)" : ValueJson.render(v));
                }
                case "del" -> {
                    need(words, 2, "del KEY");
                    acknowledged(node.delAsync(words[1]));
                    ok(cmd, words[1], "ok");
                }
                case "delta" -> {
                    need(words, 3, "delta KEY JSON-OBJECT");
                    node.applyDelta(words[1], ValueJson.parseObject(words[2]));
                    ObjectNode o = answer(cmd);
                    o.put("key", words[1]);
                    o.set("value", ValueJson.toJson(node.get(words[1])));
                    emit(o, ValueJson.render(node.get(words[1])));
                }
                case "pop" -> {
                    need(words, 2, "pop KEY");
                    Object v = node.pop(words[1], null);
                    ObjectNode o = answer(cmd);
                    o.put("key", words[1]);
                    o.set("value", ValueJson.toJson(v));
                    emit(o, v == null ? "(none)" : ValueJson.render(v));
                }
                case "keys" -> {
                    ArrayNode a = ValueJson.MAPPER.createArrayNode();
                    node.keys().forEach(k -> a.add(ValueJson.keyJson(k)));
                    ObjectNode o = answer(cmd);
                    o.set("keys", a);
                    emit(o, a.toString());
                }
                case "items" -> {
                    ObjectNode items = ValueJson.MAPPER.createObjectNode();
                    for (Map.Entry<Key, Object> e : node.items()) {
                        JsonNode k = ValueJson.keyJson(e.getKey());
                        items.set(k.isTextual() ? k.textValue() : k.toString(), ValueJson.toJson(e.getValue()));
                    }
                    ObjectNode o = answer(cmd);
                    o.set("items", items);
                    emit(o, items.toString());
                }
                case "dump" -> dump();
                case "peers" -> {
                    ArrayNode a = ValueJson.MAPPER.createArrayNode();
                    node.mesh().routingTable().forEach((id, p) -> {
                        ObjectNode e = a.addObject();
                        e.put("id", id);
                        e.put("host", p.advertisedHost());
                        e.put("port", p.advertisedPort());
                        e.put("jv2p", p.jv2p());
                        e.put("outgoing", p.outgoing());
                    });
                    ObjectNode o = answer(cmd);
                    o.set("peers", a);
                    emit(o, a.toString());
                }
                case "send" -> {
                    node.mesh()
                            .send(List.of(
                                    words.length > 1 ? trimmed.substring(4).strip() : ""));
                    ok(cmd, null, "ok");
                }
                case "status" -> status();
                case "watch" -> {
                    watching = !watching;
                    ok(cmd, null, watching ? "watching" : "not watching");
                }
                case "help" -> ok(cmd, null, HELP);
                case "quit", "exit" -> {
                    ok(cmd, null, "bye");
                    return false;
                }
                default -> throw new IllegalArgumentException("unknown command '" + words[0] + "'; try 'help'");
            }
        } catch (RuntimeException e) {
            ObjectNode o = ValueJson.MAPPER.createObjectNode();
            o.put("ok", false);
            o.put("cmd", cmd);
            o.put("error", e.getMessage());
            emit(o, "error: " + e.getMessage());
        }
        return true;
    }

    /**
     * Waits until the node has applied a write (with a data directory: until it is in the log,
     * or on disk in mode {@code always}), so an answered write is one a crash does not lose; a
     * refusal is thrown as the node raised it.
     */
    private static void acknowledged(java.util.concurrent.CompletableFuture<Void> write) {
        try {
            write.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Every entry with its metadata, so dictionaries can be compared exactly (values and owners). */
    private void dump() {
        ObjectNode entries = ValueJson.MAPPER.createObjectNode();
        for (Map.Entry<Key, Object> e : node.items()) {
            JsonNode k = ValueJson.keyJson(e.getKey());
            ObjectNode entry = entries.putObject(k.isTextual() ? k.textValue() : k.toString());
            entry.set("value", ValueJson.toJson(e.getValue()));
            node.meta(e.getKey()).ifPresent(m -> {
                entry.put("owner", m.owner());
                entry.put("timestamp", m.timestamp());
            });
        }
        ObjectNode o = answer("dump");
        o.set("entries", entries);
        emit(o, entries.toString());
    }

    private void status() {
        SyncStatus s = node.status();
        ObjectNode o = answer("status");
        StatusView.json(s, o);
        emit(o, StatusView.text(s));
    }

    private static void need(String[] words, int n, String usage) {
        if (words.length < n) {
            throw new IllegalArgumentException("usage: " + usage);
        }
    }

    private ObjectNode answer(String cmd) {
        ObjectNode o = ValueJson.MAPPER.createObjectNode();
        o.put("ok", true);
        o.put("cmd", cmd);
        return o;
    }

    private static ObjectNode event(String type) {
        ObjectNode o = ValueJson.MAPPER.createObjectNode();
        o.put("event", type);
        return o;
    }

    private void ok(String cmd, String key, String text) {
        ObjectNode o = answer(cmd);
        if (key != null) {
            o.put("key", key);
        }
        o.put("result", text);
        emit(o, text);
    }

    private void emit(ObjectNode o, String text) {
        synchronized (out) {
            out.println(json ? o.toString() : text);
            out.flush();
        }
    }
}
