package dev.jv2p.mesh;

import dev.jv2p.mesh.spi.Flags;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Broadcasts along a self-repairing tree (Plumtree: Leitão, Pereira, Rodrigues, SRDS 2007) on
 * the links whose both ends announced {@link #CAPABILITY} in their hello; every other link (js2p
 * peers, jv2p nodes without it) is flooded by {@link Relay} exactly as before. A tree link is
 * eager (payloads are pushed on it) or lazy (only ids are announced on it, in batches every
 * {@link #ANNOUNCE_INTERVAL}). Every tree link starts eager; a payload that arrives again on an
 * eager link turns the link lazy at both ends (prune), and an announced id whose payload has
 * not arrived after the graft timer ({@link #GRAFT_TIMEOUT}, longer while eager payloads arrive late) makes the node ask the announcer for it and turn that
 * link eager again (graft). Since every holder of a broadcast pushes or announces it on each of
 * its tree links, a connected mesh delivers every broadcast, whatever the pruning did.
 *
 * <p>One tree is shared by all senders rather than one per sender: eager and lazy are a state of
 * the link, not of the (sender, link) pair, so the state is bounded by the node's degree and a
 * tree pruned by one broadcast already carries the next one of any sender with n−1 payloads. A
 * shared tree may take a longer path for senders far from where it was shaped; the graft timer
 * bounds what that costs.
 *
 * <p>Each peer is untrusted: the tree's messages are whisper-only (the router drops them under
 * the broadcast flag), count only from tree links, carry at most {@link
 * MeshMessages#MAX_TREE_IDS} ids, and a graft makes this node send a payload only if it
 * announced that id to the grafting peer and still holds it ({@link RecentBroadcasts}), once per
 * announcement: a peer gets at most what flooding would have sent it. Ids announced to this node
 * wait for their payload in a table of at most {@link #MAX_MISSING} entries. Every method runs on
 * the node's event loop.
 */
final class BroadcastTree {
    private static final Logger LOG = LoggerFactory.getLogger(BroadcastTree.class);

    /** The capability name in the hello. */
    static final String CAPABILITY = "tree";

    /** How long ids for a lazy link are gathered before they go out in one announcement. */
    static final Duration ANNOUNCE_INTERVAL = Duration.ofMillis(5);

    /**
     * How long an announced broadcast may take to arrive on an eager link before it is grafted.
     * Grafting on the announcement itself over-heals the tree (every lazy link whose announcement
     * overtakes a payload turns eager); a timer of seconds makes repair slow.
     */
    static final Duration GRAFT_TIMEOUT = Duration.ofMillis(50);

    /**
     * The longest graft timer: however late this node's eager payloads have been arriving, a
     * broadcast whose eager path broke is asked for within this.
     */
    static final Duration MAX_GRAFT_TIMEOUT = Duration.ofMillis(250);

    /** How fast the lateness of eager payloads is forgotten: halved each such period. */
    static final Duration LATENESS_HALF_LIFE = Duration.ofSeconds(1);

    /** After a graft, how long before the next announcer is asked. */
    static final Duration GRAFT_RETRY = Duration.ofMillis(25);

    static final int MAX_MISSING = 4096;
    /** Announcers remembered per missing broadcast. */
    private static final int MAX_ANNOUNCERS = 8;

    /** Ids remembered per lazy link as announced to it, which it may graft. */
    static final int MAX_ANNOUNCED = 1024;

    private final Router router;
    private final boolean enabled;
    private final Map<Connection, Link> links = new HashMap<>();
    private final Map<BroadcastId, Missing> missing = new LinkedHashMap<>();
    private final RecentBroadcasts recent = new RecentBroadcasts(4096, RECENT_BYTES);

    /**
     * The bytes of recent broadcasts kept for grafts: at a bulk writer's pace (about 6 MB/s in
     * the three-node harness) well over ten graft timers' worth.
     */
    static final long RECENT_BYTES = 4L * 1024 * 1024;

    /** Broadcasts remembered as having come first through a relay although their originator is an eager link. */
    static final int MAX_RELAYED_FIRST = 256;

    /**
     * Broadcasts whose first copy came through a relay while the originator itself is an eager
     * tree link: by id, the relaying link and the originator's link.
     */
    private final Map<BroadcastId, Connection[]> relayedFirst = new LinkedHashMap<>();

    /** One tree link's state. */
    private static final class Link {
        boolean eager = true;
        final List<BroadcastId> pending = new ArrayList<>();
        boolean flushScheduled;
        /** The ids last announced to the peer, oldest first: what it may graft. */
        final Set<BroadcastId> announced = new LinkedHashSet<>();

        void announced(List<BroadcastId> ids) {
            for (BroadcastId id : ids) {
                announced.add(id);
                if (announced.size() > MAX_ANNOUNCED) {
                    Iterator<BroadcastId> oldest = announced.iterator();
                    oldest.next();
                    oldest.remove();
                }
            }
        }
    }

    /** An announced broadcast that has not arrived: who announced it, when, and the graft timer. */
    private static final class Missing {
        /** Announcers not grafted yet, in order. */
        final ArrayDeque<Connection> announcers = new ArrayDeque<>();
        /** Every announcer, grafted or not. */
        final List<Connection> announcedBy = new ArrayList<>(2);

        final long announcedAt;
        ScheduledFuture<?> timer;

        Missing(long announcedAt) {
            this.announcedAt = announcedAt;
        }
    }

    /**
     * How late, recently, payloads came after another peer had announced them (nanoseconds),
     * and when that was last raised: the graft timer is twice this, between {@link
     * #GRAFT_TIMEOUT} and {@link #MAX_GRAFT_TIMEOUT}. A receiver busy with a burst (a bulk
     * write, a joiner's cold start) reads its eager links tens of milliseconds behind; a fixed
     * timer would then graft broadcasts that are already on their way, get them twice, and
     * reshape the tree for nothing.
     */
    private long lateness;

    private long latenessAt;

    BroadcastTree(Router router) {
        this.router = router;
        this.enabled = router.config.broadcastTree();
        if (enabled) {
            warmUp();
        }
    }

    /**
     * Loads the tree's classes on the thread that builds the node, not on its event loop when
     * the first tree messages come (milliseconds in a fresh JVM, a joiner's first ones).
     */
    private static void warmUp() {
        byte[] ids = new byte[BroadcastId.LENGTH];
        BroadcastId id = BroadcastId.of(ids, 0);
        id.writeTo(ids, 0);
        MeshMessages.parse(Flags.WHISPER, List.of((long) Flags.TREE_IHAVE, ids));
        MeshMessages.parse(Flags.WHISPER, List.of((long) Flags.TREE_GRAFT, id.bytes()));
        new Link().announced(List.of(id));
        new Missing(0);
        idBytes(List.of(id));
    }

    /** The capabilities this node announces in its hello. */
    List<Object> capabilities() {
        return enabled ? List.of(CAPABILITY) : List.of();
    }

    /** Takes the capabilities of {@code c}'s hello: a peer that announces the tree becomes a tree link. */
    void onHello(Connection c, Set<String> capabilities) {
        if (enabled
                && capabilities.contains(CAPABILITY)
                && c.id() != null
                && router.table.get(c.id()) == c
                && !links.containsKey(c)) {
            links.put(c, new Link());
            LOG.debug("{} is a broadcast tree link", c);
        }
    }

    void onClosed(Connection c) {
        links.remove(c);
        if (!relayedFirst.isEmpty()) {
            relayedFirst.values().removeIf(first -> first[0] == c || first[1] == c);
        }
    }

    boolean isTreeLink(Connection c) {
        return links.containsKey(c);
    }

    boolean isEager(Connection c) {
        Link l = links.get(c);
        return l != null && l.eager;
    }

    /** Whether {@code peer} is a lazy tree link: it gets only the ids of broadcasts ({@link #announce}). */
    boolean isLazy(Connection peer) {
        Link l = links.get(peer);
        return l != null && !l.eager;
    }

    /** Queues {@code id} for the next announcement to the lazy link {@code peer}. */
    void announce(Connection peer, BroadcastId id) {
        Link l = links.get(peer);
        l.pending.add(id);
        if (l.pending.size() >= MeshMessages.MAX_TREE_IDS) {
            flush(peer, l);
        } else if (!l.flushScheduled) {
            l.flushScheduled = true;
            router.loop.schedule(() -> flush(peer, l), ANNOUNCE_INTERVAL.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Keeps the broadcast {@code block} (of {@code id}), announced to some peer instead of sent,
     * for peers that graft it later (a graft arrives after the announcement, so after this call).
     */
    void announced(BroadcastId id, byte[] block) {
        recent.add(id, block);
    }

    private void flush(Connection peer, Link l) {
        l.flushScheduled = false;
        if (l.pending.isEmpty() || links.get(peer) != l) {
            return;
        }
        peer.sendNow(Flags.WHISPER, List.of((long) Flags.TREE_IHAVE, idBytes(l.pending)));
        router.counters.idsAnnounced(l.pending.size());
        l.announced(l.pending);
        l.pending.clear();
    }

    private static byte[] idBytes(List<BroadcastId> ids) {
        byte[] bytes = new byte[ids.size() * BroadcastId.LENGTH];
        for (int i = 0; i < ids.size(); i++) {
            ids.get(i).writeTo(bytes, i * BroadcastId.LENGTH);
        }
        return bytes;
    }

    /**
     * A broadcast of {@code sender} arrived for the first time, from {@code c}: no graft for it
     * any more; and if it came through a relay while the originator is an eager tree link, that
     * is remembered for the originator's own copy ({@link #onDuplicate}). Not when this node has
     * the originator's link lazy already: its own prune is on the way, and pruning the relaying
     * link too would leave it no eager path for that originator.
     */
    void onReceived(Connection c, String sender, byte[] checksum) {
        if (links.isEmpty()) {
            return;
        }
        if (!missing.isEmpty()) {
            Missing m = missing.remove(BroadcastId.of(checksum, 0));
            if (m != null) {
                if (m.timer != null) {
                    m.timer.cancel(false);
                }
                if (!m.announcedBy.contains(c)) {
                    // late on another link than the announcers' (an announcer could delay its own payloads at will)
                    long now = MonotonicTime.nanos(router.loop);
                    lateness = Math.max(currentLateness(now), now - m.announcedAt);
                    latenessAt = now;
                }
            }
        }
        Connection origin;
        if (!sender.equals(c.id()) && (origin = router.table.get(sender)) != null && isEager(origin)) {
            relayedFirst.put(BroadcastId.of(checksum, 0), new Connection[] {c, origin});
            if (relayedFirst.size() > MAX_RELAYED_FIRST) {
                Iterator<BroadcastId> oldest = relayedFirst.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
        }
    }

    /**
     * A copy of a broadcast already seen (whose frame body or block starts with {@code checksum})
     * arrived from {@code c}: an eager tree link is pruned. Which one: the link the copy came on,
     * as Plumtree does, unless the copy came straight from its originator after a relayed one.
     * A link to the originator is never pruned for its own broadcast: it is the one-hop path,
     * and a receiver that pruned it would leave its originator's broadcasts to the relays alone,
     * which a prune in flight elsewhere can leave without any eager path at all (seen in the
     * three-node harness: a joiner pruned the writer's link while its own prune of the other
     * receiver was on its way, and every write waited for a graft). The relaying link is pruned
     * instead, if this node still has it eager; otherwise nothing is (the prune in flight will
     * end the double copies).
     */
    void onDuplicate(Connection c, byte[] checksum) {
        Connection prune = c;
        if (!relayedFirst.isEmpty()) {
            Connection[] first = relayedFirst.remove(BroadcastId.of(checksum, 0));
            if (first != null && first[1] == c) {
                prune = first[0];
            }
        }
        Link l = links.get(prune);
        if (l != null && l.eager) {
            l.eager = false;
            LOG.debug("{} delivered a copy again: pruning {}", c, prune);
            prune.sendNow(Flags.WHISPER, List.of((long) Flags.TREE_PRUNE));
        }
    }

    void onPrune(Connection c) {
        Link l = links.get(c);
        if (l != null) {
            LOG.debug("{} pruned its link", c);
            l.eager = false;
        }
    }

    /** {@code c} announced {@code ids}: those not seen wait for their payload, then are grafted. */
    void onIHave(Connection c, List<BroadcastId> ids) {
        if (!links.containsKey(c)) {
            LOG.debug("{} announced broadcasts on a link that is no tree link; ignored", c);
            return;
        }
        for (BroadcastId id : ids) {
            if (router.seen.contains(id.bytes())) {
                continue;
            }
            Missing m = missing.get(id);
            if (m == null) {
                if (missing.size() >= MAX_MISSING) {
                    continue;
                }
                m = new Missing(MonotonicTime.nanos(router.loop));
                missing.put(id, m);
                schedule(id, m, graftTimeout(m.announcedAt));
            }
            if (m.announcedBy.size() < MAX_ANNOUNCERS && !m.announcedBy.contains(c)) {
                m.announcers.add(c);
                m.announcedBy.add(c);
            }
        }
    }

    private void schedule(BroadcastId id, Missing m, long afterNanos) {
        m.timer = router.loop.schedule(() -> graft(id, m), afterNanos, TimeUnit.NANOSECONDS);
    }

    private long currentLateness(long now) {
        long halvings = (now - latenessAt) / LATENESS_HALF_LIFE.toNanos();
        return halvings >= 63 ? 0 : lateness >> halvings;
    }

    /** The graft timer for an id announced now: twice the recent lateness, within its bounds. */
    private long graftTimeout(long now) {
        return Math.max(GRAFT_TIMEOUT.toNanos(), Math.min(MAX_GRAFT_TIMEOUT.toNanos(), 2 * currentLateness(now)));
    }

    /** The payload of {@code id} did not arrive in time: ask the first announcer still linked. */
    private void graft(BroadcastId id, Missing m) {
        if (missing.get(id) != m) {
            return;
        }
        Connection announcer;
        while ((announcer = m.announcers.poll()) != null && !links.containsKey(announcer)) {
            // closed since it announced; try the next
        }
        if (announcer == null || router.seen.contains(id.bytes())) {
            missing.remove(id);
            return;
        }
        links.get(announcer).eager = true;
        LOG.debug("{} announced {}, which has not arrived: grafting", announcer, id);
        announcer.sendNow(Flags.WHISPER, List.of((long) Flags.TREE_GRAFT, id.bytes()));
        schedule(id, m, GRAFT_RETRY.toNanos());
    }

    /**
     * {@code c} grafted: the link turns eager, and of the payloads it asked for, those announced
     * to it and still held go to it, each once.
     */
    void onGraft(Connection c, List<BroadcastId> ids) {
        Link l = links.get(c);
        if (l == null) {
            LOG.debug("{} grafted on a link that is no tree link; ignored", c);
            return;
        }
        l.eager = true;
        LOG.debug("{} grafted {} broadcasts", c, ids.size());
        for (BroadcastId id : ids) {
            byte[] block = l.announced.remove(id) ? recent.get(id) : null;
            if (block != null) {
                c.writeBlock(block, true);
                router.counters.broadcastSent();
            }
        }
    }
}
