package dev.jv2p.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.PeerInfo;
import dev.jv2p.mesh.PeerLink;
import dev.jv2p.sync.internal.KeyHistory;
import dev.jv2p.sync.internal.SyncStore;
import dev.jv2p.sync.internal.SyncStoreConfig;
import dev.jv2p.sync.internal.Write;
import dev.jv2p.sync.internal.WriteStamp;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bucket-digest exchange between two stores, each message passed through its parser on the
 * way: repairs go both ways in one round, and what travels grows with the differences.
 */
class DigestExchangeTest {
    private static final long T = 1_700_000_000L;

    @Test
    void oneRoundRepairsBothSidesAndSendsOnlyTheDifferingKeys() {
        Side a = new Side("a");
        Side b = new Side("b");
        for (int i = 0; i < 20_000; i++) {
            Write w = Write.set(Key.of("k" + i), (long) i, new WriteStamp(T, "owner", 0));
            a.store.apply(w, T);
            b.store.apply(w, T);
        }
        a.store.apply(Write.set(Key.of("k5"), "a's newer", new WriteStamp(T + 1, "owner", 0)), T + 1);
        b.store.apply(Write.set(Key.of("only-b"), 1L, new WriteStamp(T + 1, "owner", 0)), T + 1);

        a.exchange.sendDigest(a.linkTo(b));
        deliverAll(a, b);

        assertEquals(a.store.allEntries(), b.store.allEntries());
        assertEquals(a.store.bucketDigest(), b.store.bucketDigest());
        // k5 goes both ways (each side may hold writes the other lacks), only-b one way
        assertEquals(1, a.historiesSent, "a sends its k5");
        assertEquals(2, b.historiesSent, "b sends its k5 and only-b");
        // summaries of the two differing buckets (about 80 keys each), not of 20,000 keys
        assertTrue(b.summariesSent < 400, "summaries sent: " + b.summariesSent);
    }

    /**
     * The retention-boundary case: a write that only the initiator of a round holds, stamped a
     * second inside the retention, reaches the responder in that same round. With a one-way
     * exchange (the responder answering the digest with its own histories only) it would wait
     * for the responder's own round, by when it may have aged past the responder's horizon.
     */
    @Test
    void aWriteOnlyTheInitiatorHoldsNearTheRetentionBoundaryReachesTheResponderInTheSameRound() {
        Side initiator = new Side("a");
        Side responder = new Side("b");
        long now = initiator.now();
        long justInside = now - Duration.ofHours(24).toSeconds() + 1;
        for (Side side : List.of(initiator, responder)) {
            side.store.apply(Write.set(Key.of("shared"), 1L, new WriteStamp(now - 10, "owner", 0)), now);
            side.store.collectGarbage(now);
        }
        initiator.store.apply(
                Write.set(Key.of("late"), "made in a partition", new WriteStamp(justInside, "o", 0)), now);

        initiator.exchange.sendDigest(initiator.linkTo(responder));
        deliverAll(initiator, responder);

        assertEquals("made in a partition", responder.store.get(Key.of("late")));
        assertEquals(initiator.store.bucketDigest(), responder.store.bucketDigest());
    }

    @Test
    void aPeerHoldingNothingInABucketReceivesItsHistoriesWithoutSummaries() {
        Side full = new Side("full");
        Side empty = new Side("empty");
        for (int i = 0; i < 1000; i++) {
            full.store.apply(Write.set(Key.of("k" + i), (long) i, new WriteStamp(T, "owner", 0)), T);
        }

        empty.exchange.sendDigest(empty.linkTo(full));
        deliverAll(empty, full);

        assertEquals(full.store.allEntries(), empty.store.allEntries());
        assertEquals(0, full.summariesSent);
    }

    @Test
    void identicalStoresExchangeOnlyTheDigest() {
        Side a = new Side("a");
        Side b = new Side("b");
        Write w = Write.set(Key.of("k"), 1L, new WriteStamp(T, "owner", 0));
        a.store.apply(w, T);
        b.store.apply(w, T);

        a.exchange.sendDigest(a.linkTo(b));
        deliverAll(a, b);

        assertEquals(1, a.messagesSent);
        assertEquals(0, b.messagesSent);
    }

    @Test
    void malformedMessagesAreRefusedWithTheirReason() {
        assertThrows(
                IllegalArgumentException.class, () -> DigestExchange.parseDigest(List.of(0x3EL, List.of(), List.of())));
        assertThrows(
                IllegalArgumentException.class,
                () -> DigestExchange.parseSummaries(List.of(0x3FL, List.of(List.of(300L, List.of())))));
        assertThrows(
                IllegalArgumentException.class,
                () -> DigestExchange.parseSummaries(List.of(0x3FL, List.of(List.of(1L, List.of(new byte[3]))))));
        assertThrows(IllegalArgumentException.class, () -> DigestExchange.parseWant(List.of(0x40L, "x")));
    }

    private static void deliverAll(Side a, Side b) {
        while (!a.inbox.isEmpty() || !b.inbox.isEmpty()) {
            a.deliverOne();
            b.deliverOne();
        }
    }

    /** One node: a store, its exchange, and the messages whispered to it. */
    private static final class Side implements DigestExchange.Node {
        final String id;
        final SyncStore store = new SyncStore(
                SyncStoreConfig.builder().retention(Duration.ofHours(24)).build());
        final DigestExchange exchange = new DigestExchange(this);
        final Deque<Object[]> inbox = new ArrayDeque<>(); // {from, packets}
        int messagesSent;
        int historiesSent;
        int summariesSent;
        private Side peer;

        Side(String id) {
            this.id = id;
        }

        PeerLink linkTo(Side other) {
            this.peer = other;
            other.peer = this;
            return link(other);
        }

        private PeerLink link(Side to) {
            Side from = this;
            return new PeerLink() {
                @Override
                public String id() {
                    return to.id;
                }

                @Override
                public PeerInfo info() {
                    return null;
                }

                @Override
                public boolean isJv2p() {
                    return true;
                }

                @Override
                public boolean isOpen() {
                    return true;
                }

                @Override
                public boolean isWritable() {
                    return true;
                }

                @Override
                public void whenWritable(Runnable task) {
                    task.run();
                }

                @Override
                @SuppressWarnings("unchecked")
                public void whisper(List<?> packets) {
                    from.messagesSent++;
                    if ((Long) packets.get(0) == DigestExchange.SUMMARIES) {
                        for (Object bucket : (List<Object>) packets.get(1)) {
                            from.summariesSent += ((List<?>) ((List<?>) bucket).get(1)).size();
                        }
                    }
                    to.inbox.add(new Object[] {from, new ArrayList<Object>(packets)});
                }

                @Override
                public void send(int mainFlag, List<?> packets) {
                    whisper(packets);
                }

                @Override
                public void close(String reason) {
                    throw new AssertionError("closed: " + reason);
                }
            };
        }

        @SuppressWarnings("unchecked")
        void deliverOne() {
            Object[] m = inbox.poll();
            if (m == null) {
                return;
            }
            Side from = (Side) m[0];
            List<Object> p = (List<Object>) m[1];
            PeerLink back = link(from);
            long sub = (Long) p.get(0);
            if (sub == DigestExchange.DIGEST) {
                exchange.onDigest(back, DigestExchange.parseDigest(p));
            } else if (sub == DigestExchange.SUMMARIES) {
                exchange.onSummaries(back, DigestExchange.parseSummaries(p));
            } else if (sub == DigestExchange.WANT) {
                exchange.onWant(back, DigestExchange.parseWant(p));
            } else {
                for (KeyHistory h : (List<KeyHistory>) p.get(1)) {
                    store.importHistory(h, now());
                }
            }
        }

        @Override
        public SyncStore store() {
            return store;
        }

        @Override
        public long now() {
            return T + 2;
        }

        @Override
        public long maxFrameLength() {
            return 8 << 20;
        }

        @Override
        public void sendHistories(PeerLink to, List<KeyHistory> histories) {
            historiesSent += histories.size();
            to.whisper(List.of(-1L, histories)); // delivered as objects: the history wire form has its own tests
        }
    }
}
