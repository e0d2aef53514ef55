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
 * not arrived after {@link #GRAFT_TIMEOUT} makes the node ask the announcer for it and turn that
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
    private final RecentBroadcasts recent = new RecentBroadcasts(4096, 16L * 1024 * 1024);

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

    /** An announced broadcast that has not arrived: who announced it, and the graft timer. */
    private static final class Missing {
        final ArrayDeque<Connection> announcers = new ArrayDeque<>();
        ScheduledFuture<?> timer;
    }

    BroadcastTree(Router router) {
        this.router = router;
        this.enabled = router.config.broadcastTree();
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
    }

    boolean isTreeLink(Connection c) {
        return links.containsKey(c);
    }

    boolean isEager(Connection c) {
        Link l = links.get(c);
        return l != null && l.eager;
    }

    /**
     * Keeps a broadcast this node sends or relays, for peers that graft it later; before any
     * {@link #announceInstead}.
     */
    void sending(byte[] block) {
        if (!links.isEmpty()) {
            recent.add(block);
        }
    }

    /**
     * Whether {@code peer} gets only the id of the broadcast {@code block} (it is a lazy tree
     * link); if so, the id is queued for its next announcement.
     */
    boolean announceInstead(Connection peer, byte[] block) {
        Link l = links.get(peer);
        if (l == null || l.eager) {
            return false;
        }
        l.pending.add(BroadcastId.of(block, 0));
        if (l.pending.size() >= MeshMessages.MAX_TREE_IDS) {
            flush(peer, l);
        } else if (!l.flushScheduled) {
            l.flushScheduled = true;
            router.loop.schedule(() -> flush(peer, l), ANNOUNCE_INTERVAL.toNanos(), TimeUnit.NANOSECONDS);
        }
        return true;
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

    /** A broadcast arrived for the first time: no graft for it any more. */
    void onReceived(byte[] checksum) {
        if (missing.isEmpty()) {
            return;
        }
        Missing m = missing.remove(BroadcastId.of(checksum, 0));
        if (m != null && m.timer != null) {
            m.timer.cancel(false);
        }
    }

    /** A copy of a broadcast already seen arrived from {@code c}: an eager tree link is pruned. */
    void onDuplicate(Connection c) {
        Link l = links.get(c);
        if (l != null && l.eager) {
            l.eager = false;
            c.sendNow(Flags.WHISPER, List.of((long) Flags.TREE_PRUNE));
        }
    }

    void onPrune(Connection c) {
        Link l = links.get(c);
        if (l != null) {
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
                m = new Missing();
                missing.put(id, m);
                schedule(id, m, GRAFT_TIMEOUT);
            }
            if (m.announcers.size() < MAX_ANNOUNCERS && !m.announcers.contains(c)) {
                m.announcers.add(c);
            }
        }
    }

    private void schedule(BroadcastId id, Missing m, Duration after) {
        m.timer = router.loop.schedule(() -> graft(id, m), after.toNanos(), TimeUnit.NANOSECONDS);
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
        announcer.sendNow(Flags.WHISPER, List.of((long) Flags.TREE_GRAFT, id.bytes()));
        schedule(id, m, GRAFT_RETRY);
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
        for (BroadcastId id : ids) {
            byte[] block = l.announced.remove(id) ? recent.get(id) : null;
            if (block != null) {
                c.writeBlock(block, true);
                router.counters.broadcastSent();
            }
        }
    }
}
