package dev.jv2p.it.sync;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.mesh.testing.FuzzValues;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Packet lists a hostile but well-framed peer could send: a valid header (main flag, sender,
 * time), then a sub-flag of the mesh or sync layer with arguments shaped roughly as that
 * message expects, any of which may be replaced by an arbitrary value, and a few added or
 * dropped. Addresses are always loopback, so that no node ever dials out of this machine.
 */
final class FuzzedMessages {
    private static final long[] MAIN_FLAGS = {
        Flags.BROADCAST, Flags.WHISPER, Flags.BROADCAST, Flags.WHISPER, Flags.RENEGOTIATE, Flags.PING, Flags.PONG
    };
    private static final long[] SUB_FLAGS = {
        Flags.STORE,
        Flags.DELTA,
        0x38,
        0x39,
        0x3A,
        0x3B,
        Flags.STORE,
        0x39,
        0x3A,
        Flags.HANDSHAKE,
        Flags.PEERS,
        Flags.REQUEST,
        Flags.RESPONSE,
        Flags.JV2P_HELLO,
        Flags.JV2P_PING,
        Flags.JV2P_PONG,
        Flags.TREE_IHAVE,
        Flags.TREE_GRAFT,
        Flags.TREE_PRUNE,
        Flags.JV2P_HELLO,
        Flags.BROADCAST,
        Flags.WHISPER,
        Flags.COMPRESSION,
        Flags.RESEND,
        Flags.NOTIFY
    };
    private static final int KEY_POOL = 32;
    private static final int BUCKETS = 256;

    private final FuzzedDataProvider data;
    private final long now;
    private final String protocolId;
    private final String[] ids;

    /**
     * @param ids node ids a message may name as sender or owner: the adversary's first, then
     *     the real nodes'
     */
    FuzzedMessages(FuzzedDataProvider data, long now, String protocolId, String... ids) {
        this.data = data;
        this.now = now;
        this.protocolId = protocolId;
        this.ids = ids;
    }

    List<Object> next() {
        List<Object> list = new ArrayList<>();
        list.add(data.pickValue(MAIN_FLAGS));
        list.add(data.consumeInt(0, 7) == 0 ? data.consumeString(24) : ids[data.consumeInt(0, 3) % ids.length]);
        list.add(time());
        long sub = data.consumeInt(0, 15) == 0 ? data.consumeLong(-1, 0x40) : data.pickValue(SUB_FLAGS);
        list.add(sub);
        List<Object> args = arguments(sub);
        if (data.consumeInt(0, 7) == 0 && !args.isEmpty()) {
            args.remove(data.consumeInt(0, args.size() - 1));
        }
        if (data.consumeInt(0, 7) == 0) {
            args.add(any());
        }
        list.addAll(args);
        return list;
    }

    private List<Object> arguments(long sub) {
        return switch ((int) sub) {
            case Flags.STORE ->
                data.consumeBoolean()
                        ? args(this::key, this::any, this::owner, this::time) // the transfer form
                        : args(this::key, this::any, this::seq);
            case Flags.DELTA -> args(this::key, this::map, this::seq);
            case 0x38 -> args(this::key, this::seq);
            case 0x39 -> args(() -> list(this::history, 4));
            case 0x3A -> args(this::digest, () -> list(this::time, 4));
            case Flags.HANDSHAKE -> args(this::owner, this::protocol, this::address, () -> list(this::method, 3));
            case Flags.PEERS -> args(() -> list(() -> args(this::address, this::owner), 3));
            case Flags.REQUEST ->
                data.consumeBoolean() ? args(() -> "*") : args(() -> data.consumeString(16), this::owner);
            case Flags.RESPONSE -> args(() -> data.consumeString(16), () -> args(this::address, this::owner));
            case Flags.JV2P_HELLO -> args(() -> "jv2p", () -> data.consumeString(8), this::capabilities);
            case Flags.TREE_IHAVE, Flags.TREE_GRAFT -> args(this::treeIds);
            case Flags.TREE_PRUNE -> new ArrayList<>();
            case Flags.COMPRESSION, Flags.RESEND -> args(() -> list(this::method, 3));
            default -> list(this::any, 3);
        };
    }

    @SafeVarargs
    private List<Object> args(java.util.function.Supplier<Object>... shapes) {
        List<Object> out = new ArrayList<>(shapes.length);
        for (java.util.function.Supplier<Object> shape : shapes) {
            out.add(data.consumeInt(0, 9) == 0 ? any() : shape.get());
        }
        return out;
    }

    private List<Object> list(java.util.function.Supplier<Object> element, int max) {
        int size = data.consumeInt(0, max);
        List<Object> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(element.get());
        }
        return out;
    }

    private Object any() {
        return FuzzValues.value(data);
    }

    /** Mostly a small pool of keys, so that messages meet earlier writes; sometimes any bytes. */
    private Object key() {
        return switch (data.consumeInt(0, 7)) {
            case 0 -> data.consumeBytes(16);
            case 1 -> ("k" + data.consumeInt(0, KEY_POOL - 1)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            default -> "k" + data.consumeInt(0, KEY_POOL - 1);
        };
    }

    private Object owner() {
        return data.consumeInt(0, 5) == 0 ? data.consumeString(24) : ids[data.consumeInt(0, ids.length - 1)];
    }

    private Object time() {
        return switch (data.consumeInt(0, 5)) {
            case 0 -> data.consumeLong();
            case 1 -> data.consumeDouble();
            default -> now + data.consumeLong(-7200, 7200);
        };
    }

    private Object seq() {
        return data.consumeBoolean() ? data.consumeLong(0, 8) : data.consumeLong();
    }

    private Object map() {
        Map<Object, Object> out = new LinkedHashMap<>();
        int size = data.consumeInt(0, 3);
        for (int i = 0; i < size; i++) {
            out.put(data.consumeBoolean() ? "f" + data.consumeInt(0, 3) : any(), any());
        }
        return out;
    }

    /** [key, horizon, base or nil, [[kind, value, owner, timestamp, seq]...]] */
    private Object history() {
        Object base = data.consumeBoolean()
                ? null
                : args(this::any, this::owner, this::time, this::seq, data::consumeBoolean);
        return args(
                this::key,
                this::time,
                () -> base,
                () -> list(
                        () -> args(() -> data.consumeLong(-1, 3), this::any, this::owner, this::time, this::seq), 3));
    }

    /** 256 bucket hashes, mostly zero (an empty store's), or a wrong count. */
    private Object digest() {
        int size = data.consumeInt(0, 7) == 0 ? data.consumeInt(0, BUCKETS + 1) : BUCKETS;
        Object[] hashes = new Object[size];
        Arrays.fill(hashes, 0L);
        int set = Math.min(size, data.consumeInt(0, 4));
        for (int i = 0; i < set; i++) {
            hashes[data.consumeInt(0, size - 1)] = data.consumeBoolean() ? data.consumeLong() : any();
        }
        return new ArrayList<>(Arrays.asList(hashes));
    }

    /** Mostly {@code ["tree"]}, which makes the link a broadcast tree link; sometimes other names. */
    private Object capabilities() {
        return data.consumeInt(0, 3) == 0 ? list(() -> data.consumeString(8), 3) : new ArrayList<>(List.of("tree"));
    }

    /**
     * Broadcast ids back to back, 16 bytes each: mostly whole ids (which name no broadcast the
     * node holds, so a graft asks for nothing it has), sometimes a length that is not a multiple
     * of 16, or none.
     */
    private Object treeIds() {
        return data.consumeInt(0, 5) == 0
                ? data.consumeBytes(data.consumeInt(0, 40))
                : data.consumeBytes(16 * data.consumeInt(1, 4));
    }

    private Object protocol() {
        return data.consumeInt(0, 3) == 0 ? data.consumeString(24) : protocolId;
    }

    private Object address() {
        return Arrays.asList("127.0.0.1", data.consumeLong(-1, 70_000));
    }

    private Object method() {
        return data.consumeBoolean() ? data.pickValue(new long[] {0x11, 0x13}) : data.consumeLong(-1, 300);
    }
}
