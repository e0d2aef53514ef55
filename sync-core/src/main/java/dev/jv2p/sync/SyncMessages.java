package dev.jv2p.sync;

import dev.jv2p.mesh.Message;
import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.sync.internal.KeyHistory;
import dev.jv2p.sync.internal.StoreDigest;
import dev.jv2p.sync.internal.SyncStore;
import dev.jv2p.sync.internal.Write;
import dev.jv2p.sync.internal.WriteStamp;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sync layer's messages as typed records, parsed once from a message's packet list at the
 * edge ({@link #parse}), before any handler runs: arity, types and ranges are checked here, and
 * a handler only ever sees a well-formed record. Each record names the wire form it stands for
 * (see {@link SyncWire} for the forms shared with js2p).
 */
final class SyncMessages {
    /**
     * jv2p's sync hello, whispered to a peer once it is known as jv2p:
     * {@code [0x3D, version, [capabilities], merge rule, allow-list]}. Peers of an older jv2p
     * never send it and ignore it; they are served the older forms.
     */
    static final int SYNC_HELLO = Flags.LAYER_EXTENSION_BASE + 5;
    /** The sync hello's version; a later one may add fields, never change these. */
    static final long HELLO_VERSION = 1;
    /** Most capabilities a hello may name, and their longest name. */
    private static final int MAX_CAPABILITIES = 64;

    private static final int MAX_TEXT = 256;

    private SyncMessages() {}

    /** One parsed sync message. */
    sealed interface SyncMessage
            permits LiveWrite,
                    TransferStore,
                    WriteBatch,
                    SignedWriteBatch,
                    Histories,
                    LegacyDigest,
                    Hello,
                    DigestExchange.Digest,
                    DigestExchange.Summaries,
                    DigestExchange.Want {}

    /**
     * A live store, delta, delete or binary-key write, stamped with the message's time and
     * sender; {@code packets} as received (for the owner's proof), {@code signedSize} the length
     * they have with a trailing {@code [scheme, proof]}.
     */
    record LiveWrite(Write write, List<Object> packets, int signedSize) implements SyncMessage {}

    /** A store in js2p's transfer form {@code [11, key, value, owner, timestamp]} (spec §12.3). */
    record TransferStore(Write write) implements SyncMessage {}

    /** A write batch {@code [0x3C, [writes]]}: the writes that parsed, and why the others did not. */
    record WriteBatch(List<LiveWrite> writes, List<String> malformed) implements SyncMessage {}

    /** A batch signed whole: {@code [0x3C, [writes], scheme, signature]}, every write well formed. */
    record SignedWriteBatch(List<Write> writes, byte[] signature) implements SyncMessage {}

    /**
     * A history batch {@code [0x39, [histories]]}: the histories that parsed with each one's wire
     * form (for the proofs it carries), and why the others did not.
     */
    record Histories(List<KeyHistory> histories, List<List<?>> raw, List<String> malformed) implements SyncMessage {}

    /** The older digest {@code [0x3A, [256 XOR hashes], [watermarks]]}, for peers without the bucket digest. */
    record LegacyDigest(long[] buckets, long[] watermarks) implements SyncMessage {}

    /**
     * A peer's sync hello: what it can do and the rules it merges by.
     *
     * @param capabilities the optional forms it understands (such as {@link DigestExchange#CAPABILITY})
     * @param mergeRule its merge rule, as {@link #mergeRule} names it
     * @param allowList a fingerprint of the owners it accepts writes from (empty text: any)
     */
    record Hello(long version, Set<String> capabilities, String mergeRule, String allowList) implements SyncMessage {}

    /**
     * Parses a sync message; {@code null} if its sub-flag is not the sync layer's.
     *
     * @param signed whether owners sign their writes in this mesh (a batch may then carry one signature)
     * @throws IllegalArgumentException naming what is wrong
     */
    static SyncMessage parse(Message m, boolean signed) {
        List<Object> p = m.packets();
        return switch (m.subFlag()) {
            case Flags.STORE -> p.size() == 5 ? transferStore(p) : liveWrite(m, p);
            case Flags.DELTA, SyncWire.DELETE, SyncWire.BINARY_KEY_WRITE -> liveWrite(m, p);
            case SyncWire.WRITE_BATCH -> signed && p.size() == 4 ? signedBatch(m, p) : batch(m, p);
            case SyncWire.HISTORY -> histories(p);
            case SyncWire.DIGEST -> legacyDigest(p);
            case SYNC_HELLO -> hello(p);
            case DigestExchange.DIGEST -> DigestExchange.parseDigest(p);
            case DigestExchange.SUMMARIES -> DigestExchange.parseSummaries(p);
            case DigestExchange.WANT -> DigestExchange.parseWant(p);
            default -> null;
        };
    }

    /** The sub-flags that make a node do work for their sender: whispered only. */
    static final int[] WHISPER_ONLY = {
        SyncWire.HISTORY,
        SyncWire.DIGEST,
        SYNC_HELLO,
        DigestExchange.DIGEST,
        DigestExchange.SUMMARIES,
        DigestExchange.WANT
    };

    /**
     * The name of a merge rule, compared between peers at hello time: two nodes whose names
     * differ would not reach the same state from the same writes.
     */
    static String mergeRule(boolean leasing, long leaseSeconds) {
        return leasing ? "lease/" + leaseSeconds : "newest";
    }

    private static TransferStore transferStore(List<Object> p) {
        long timestamp = SyncWire.integer(p.get(4), "timestamp");
        if (timestamp < 0) {
            throw new IllegalArgumentException("a timestamp is 0 or more, not " + timestamp);
        }
        WriteStamp stamp = WriteStamp.shared(timestamp, SyncWire.text(p.get(3), "owner"), 0);
        Key key = SyncWire.key(p.get(1));
        return new TransferStore(p.get(2) == null ? Write.delete(key, stamp) : Write.set(key, p.get(2), stamp));
    }

    /** The write a live store, delta, delete or binary-key write stands for. */
    static LiveWrite liveWrite(Message m, List<Object> p) {
        if (p.isEmpty() || !(p.get(0) instanceof Long sub)) {
            throw new IllegalArgumentException("a write must start with its sub-flag");
        }
        if (m.time() < 0) {
            throw new IllegalArgumentException("a write's time is 0 or more, not " + m.time());
        }
        if (sub == Flags.STORE) {
            if (p.size() < 3 || p.size() == 5) {
                throw new IllegalArgumentException("a live store must be [11, key, value(, seq)]");
            }
            Key key = SyncWire.key(p.get(1));
            WriteStamp stamp = WriteStamp.shared(m.time(), m.sender(), SyncWire.optionalSeq(p, 3));
            Write w = p.get(2) == null ? Write.delete(key, stamp) : Write.set(key, p.get(2), stamp);
            return new LiveWrite(w, p, 6);
        }
        if (sub == Flags.DELTA) {
            if (p.size() < 3 || !(p.get(2) instanceof Map<?, ?> delta)) {
                throw new IllegalArgumentException("a delta needs a key and a mapping");
            }
            WriteStamp stamp = WriteStamp.shared(m.time(), m.sender(), SyncWire.optionalSeq(p, 3));
            return new LiveWrite(Write.delta(SyncWire.key(p.get(1)), delta, stamp), p, 6);
        }
        if (sub == SyncWire.DELETE) {
            if (p.size() < 2) {
                throw new IllegalArgumentException("a delete needs a key");
            }
            WriteStamp stamp = WriteStamp.shared(m.time(), m.sender(), SyncWire.optionalSeq(p, 2));
            return new LiveWrite(Write.delete(SyncWire.key(p.get(1)), stamp), p, 5);
        }
        if (sub == SyncWire.BINARY_KEY_WRITE) {
            if (p.size() < 4) {
                throw new IllegalArgumentException("a binary-key write must be [0x3B, kind, key, value, seq]");
            }
            long kind = SyncWire.integer(p.get(1), "kind");
            Key key = SyncWire.key(p.get(2));
            WriteStamp stamp = WriteStamp.shared(m.time(), m.sender(), SyncWire.optionalSeq(p, 4));
            if (kind == Write.Kind.SET.ordinal()) {
                Write w = p.get(3) == null ? Write.delete(key, stamp) : Write.set(key, p.get(3), stamp);
                return new LiveWrite(w, p, 7);
            }
            if (kind == Write.Kind.DELTA.ordinal() && p.get(3) instanceof Map<?, ?> delta) {
                return new LiveWrite(Write.delta(key, delta, stamp), p, 7);
            }
            throw new IllegalArgumentException("a binary-key write must be a set or a delta of a mapping");
        }
        throw new IllegalArgumentException("a batch holds live stores, deltas and deletes, not sub-flag " + sub);
    }

    private static WriteBatch batch(Message m, List<Object> p) {
        if (p.size() != 2 || !(p.get(1) instanceof List<?> elements)) {
            throw new IllegalArgumentException("a write batch must be [0x3C, [writes]]");
        }
        List<LiveWrite> writes = new ArrayList<>(elements.size());
        List<String> malformed = new ArrayList<>();
        for (Object o : elements) {
            try {
                writes.add(liveWrite(m, batchElement(o)));
            } catch (IllegalArgumentException e) {
                malformed.add(e.getMessage());
            }
        }
        return new WriteBatch(writes, malformed);
    }

    private static SignedWriteBatch signedBatch(Message m, List<Object> p) {
        if (!(p.get(1) instanceof List<?> elements)
                || !(p.get(2) instanceof Long scheme)
                || scheme != WriteSigning.SCHEME
                || !(p.get(3) instanceof byte[] signature)) {
            throw new IllegalArgumentException(
                    "a signed write batch must be [0x3C, [writes], " + WriteSigning.SCHEME + ", signature]");
        }
        List<Write> writes = new ArrayList<>(elements.size());
        for (Object o : elements) {
            try {
                writes.add(liveWrite(m, batchElement(o)).write());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a signed write batch was refused whole: " + e.getMessage(), e);
            }
        }
        if (writes.isEmpty()) {
            throw new IllegalArgumentException("a signed write batch holds no write");
        }
        return new SignedWriteBatch(writes, signature);
    }

    private static List<Object> batchElement(Object o) {
        if (!(o instanceof List<?> l) || l.isEmpty() || !(l.get(0) instanceof Long sub)) {
            throw new IllegalArgumentException("a write in a batch must be a list that starts with its sub-flag");
        }
        if (sub == Flags.STORE && l.size() == 5) {
            throw new IllegalArgumentException("a batch holds live stores, not the transfer form");
        }
        @SuppressWarnings("unchecked")
        List<Object> w = (List<Object>) l;
        return w;
    }

    private static Histories histories(List<Object> p) {
        if (p.size() != 2 || !(p.get(1) instanceof List<?> list)) {
            throw new IllegalArgumentException("a history batch must be [0x39, [histories]]");
        }
        List<KeyHistory> histories = new ArrayList<>(list.size());
        List<List<?>> raw = new ArrayList<>(list.size());
        List<String> malformed = new ArrayList<>();
        for (Object o : list) {
            try {
                KeyHistory h = SyncWire.history(o);
                checkRanges(h);
                histories.add(h);
                raw.add((List<?>) o);
            } catch (IllegalArgumentException e) {
                malformed.add(e.getMessage());
            }
        }
        return new Histories(histories, raw, malformed);
    }

    private static void checkRanges(KeyHistory h) {
        if (h.base() != null
                && (h.base().stamp().timestamp() < 0 || h.base().stamp().seq() < 0)) {
            throw new IllegalArgumentException("the base of " + h.key() + " has a negative timestamp or seq");
        }
        for (Write w : h.writes()) {
            if (w.timestamp() < 0 || w.stamp().seq() < 0) {
                throw new IllegalArgumentException("a write of " + h.key() + " has a negative timestamp or seq");
            }
        }
    }

    private static LegacyDigest legacyDigest(List<Object> p) {
        if (p.size() < 2
                || p.size() > 3
                || !(p.get(1) instanceof List<?> hashes)
                || hashes.size() != StoreDigest.BUCKETS) {
            throw new IllegalArgumentException(
                    "a digest must be [0x3A, [" + StoreDigest.BUCKETS + " bucket hashes], [watermarks]]");
        }
        long[] buckets = new long[StoreDigest.BUCKETS];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = SyncWire.integer(hashes.get(i), "bucket hash");
        }
        long[] watermarks = new long[0];
        if (p.size() == 3) {
            if (!(p.get(2) instanceof List<?> marks)
                    || (!marks.isEmpty() && marks.size() != SyncStore.GRAVEYARD_SLOTS)) {
                throw new IllegalArgumentException("a digest carries no watermark or " + SyncStore.GRAVEYARD_SLOTS);
            }
            watermarks = new long[marks.size()];
            for (int i = 0; i < watermarks.length; i++) {
                watermarks[i] = SyncWire.integer(marks.get(i), "graveyard watermark");
                if (watermarks[i] < -1) {
                    throw new IllegalArgumentException("a graveyard watermark is -1 or more, not " + watermarks[i]);
                }
            }
        }
        return new LegacyDigest(buckets, watermarks);
    }

    private static Hello hello(List<Object> p) {
        if (p.size() < 5
                || !(p.get(2) instanceof List<?> caps)
                || caps.size() > MAX_CAPABILITIES
                || !(p.get(3) instanceof String rule)
                || !(p.get(4) instanceof String allowList)
                || rule.length() > MAX_TEXT
                || allowList.length() > MAX_TEXT) {
            throw new IllegalArgumentException(
                    "a sync hello must be [0x3D, version, [capabilities], merge rule, " + "allow-list]");
        }
        long version = SyncWire.integer(p.get(1), "version");
        if (version < 1) {
            throw new IllegalArgumentException("a sync hello's version is 1 or more, not " + version);
        }
        Set<String> capabilities = new LinkedHashSet<>();
        for (Object c : caps) {
            if (!(c instanceof String s) || s.isEmpty() || s.length() > MAX_TEXT) {
                throw new IllegalArgumentException(
                        "a capability must be non-empty text of at most " + MAX_TEXT + " characters");
            }
            capabilities.add(s);
        }
        return new Hello(version, Set.copyOf(capabilities), rule, allowList);
    }
}
