package dev.jv2p.mesh;

import dev.jv2p.mesh.internal.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node linked: a node with fewer peers than a floor ({@code maxOutgoing}) dials again,
 * after a jittered exponential {@link Backoff}, addresses it learnt from peers lists (a bounded
 * passive view, as HyParView's) and the contacts its user dialed. Without it a node whose only
 * contact refused it (at its peer limit, when many join through it at once), or whose every
 * neighbour died, stays an island for good: js2p and the peers-list dials never dial anyone
 * else. Only dials: no link is ever closed to make room, and the wire is unchanged, so js2p
 * peers see ordinary connections. Runs on the node's event loop.
 *
 * <p>Bounded: one timer, waits from one second doubling to {@code keepAliveTimeout}, at most
 * {@code floor} dials in flight, and a streak below the floor is given up after {@code
 * redialFor} (zero turns this off, as js2p; so does {@code dialPeerLists} off, a topology the
 * user keeps). A streak ends when the node reaches the floor or has
 * no one left to dial; the user's {@link MeshSocket#connect} starts a new one.
 */
final class Membership {
    private static final Logger LOG = LoggerFactory.getLogger(Membership.class);
    /** Addresses remembered from peers lists (HyParView's passive view is about 30). */
    static final int PASSIVE_VIEW = 32;
    /** Contacts the user dialed that are remembered; the oldest is forgotten first. */
    static final int MAX_CONTACTS = 16;

    /** Peers remembered as at their limit, at most; the oldest is forgotten first. */
    static final int MAX_AT_LIMIT = 256;
    /** What a referral sends before it closes: the handshake, again after the dialer's, and the peers list. */
    private static final int MESSAGES_OF_A_REFERRAL = 3;

    private static final long NO_STREAK = Long.MIN_VALUE;

    private final Router router;
    private final Map<String, MeshMessages.PeerEntry> passive = new LinkedHashMap<>();
    private final Map<String, Contact> contacts = new LinkedHashMap<>();
    /** Peers that referred this node elsewhere, and until when they are not dialed (nanos). */
    private final Map<String, Long> atLimit = new LinkedHashMap<>();

    private final Backoff backoff;
    private Random random;
    private ScheduledFuture<?> timer;
    private long streakSince = NO_STREAK;
    private int contactDials;

    /** A user-dialed address, and the id that answered there once one did. */
    private static final class Contact {
        final String host;
        final int port;
        String id;
        boolean dialing;

        Contact(String host, int port) {
            this.host = host;
            this.port = port;
        }
    }

    Membership(Router router) {
        this.router = router;
        this.backoff = new Backoff(Duration.ofSeconds(1), router.config.keepAliveTimeout());
    }

    private int floor() {
        return Math.min(router.config.maxOutgoing(), router.config.maxPeers());
    }

    /** The user dialed {@code host:port} ({@link MeshSocket#connect}); remembered as a contact. */
    void onUserDial(String host, int port, CompletableFuture<PeerInfo> dial) {
        String key = host + ":" + port;
        Contact contact = contacts.remove(key);
        if (contact == null) {
            contact = new Contact(host, port);
            if (contacts.size() >= MAX_CONTACTS) {
                contacts.remove(contacts.keySet().iterator().next());
            }
        }
        contacts.put(key, contact);
        // A new streak, but the back-off keeps its place: a caller that dials the same contact
        // every few seconds (the cli's --join) must not hold the floor's dials at the first wait.
        streakSince = NO_STREAK;
        Contact c = contact;
        dial.whenComplete((info, error) -> router.onLoop(() -> {
            if (info != null) {
                c.id = info.id();
            }
            check();
        }));
    }

    /** Addresses from a peers list join the passive view; a random one makes room when it is full. */
    void learn(List<MeshMessages.PeerEntry> entries) {
        if (!router.config.dialPeerLists()) {
            return;
        }
        for (MeshMessages.PeerEntry e : entries) {
            if (e.id().equals(router.ownId) || passive.containsKey(e.id())) {
                continue;
            }
            if (passive.size() >= PASSIVE_VIEW) {
                List<String> ids = new ArrayList<>(passive.keySet());
                passive.remove(ids.get(random().nextInt(ids.size())));
            }
            passive.put(e.id(), e);
        }
        check();
    }

    /** The user dropped {@code id}: it is not dialed again on this node's own account. */
    void forget(String id) {
        passive.remove(id);
        contacts.values().removeIf(c -> id.equals(c.id));
    }

    /**
     * A link closed. One this node dialed that the peer closed right after its handshake and
     * peers list (no hello) was most likely a referral: the peer is at its peer limit, and is not
     * dialed from peers lists until {@code keepAliveTimeout} has passed. Without this, nodes
     * referred by full peers to full peers would dial on at once, round after round, for as long
     * as such peers remain: a hot loop with no back-off.
     */
    void onClosed(Connection c) {
        if (c.isOutgoing()
                && c.isHandshaken()
                && c.id() != null
                && !c.isJv2p()
                && c.closeReason() == null
                && c.messagesIn() <= MESSAGES_OF_A_REFERRAL) {
            atLimit.remove(c.id());
            if (atLimit.size() >= MAX_AT_LIMIT) {
                atLimit.remove(atLimit.keySet().iterator().next());
            }
            long now = MonotonicTime.nanos(router.loop);
            atLimit.put(c.id(), now + router.config.keepAliveTimeout().toNanos());
        } else if (c.isHandshaken() && router.table.isEmpty()) {
            // The last peer is gone: start over from the first wait, not from one that grew
            // while the node sat just below the floor among full peers (up to keepAliveTimeout).
            backoff.reset();
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }
        check();
    }

    /** Whether {@code id} referred this node elsewhere recently (see {@link #onClosed}). */
    boolean atLimit(String id) {
        Long until = atLimit.get(id);
        if (until == null) {
            return false;
        }
        if (MonotonicTime.nanos(router.loop) - until >= 0) {
            atLimit.remove(id);
            return false;
        }
        return true;
    }

    /** A link joined the routing table: at the floor the streak ends and the back-off starts over. */
    void onJoined() {
        if (router.table.size() >= floor()) {
            endStreak();
        }
    }

    /** Schedules the next attempt if this node is below the floor and has someone to dial. */
    private void check() {
        if (router.socket.isClosed() || router.config.redialFor().isZero() || !router.config.dialPeerLists()) {
            return; // without dialPeerLists the user keeps the topology: dial only whom it names
        }
        if (router.table.size() >= floor()) {
            endStreak();
            return;
        }
        if (timer != null) {
            return;
        }
        if (candidates().isEmpty()) {
            if (contactDials == 0 && router.discovery.dialsInFlight() == 0) {
                streakSince = NO_STREAK; // no one to dial, nothing to give up on
            }
            return; // else the dial in flight checks again when it completes
        }
        long now = MonotonicTime.nanos(router.loop);
        if (streakSince == NO_STREAK) {
            streakSince = now;
        } else if (now - streakSince > router.config.redialFor().toNanos()) {
            return; // given up on this streak (logged once, when it was)
        }
        try {
            timer = router.loop.schedule(this::attempt, backoff.next(random()).toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            timer = null;
        }
    }

    private void attempt() {
        timer = null;
        if (router.socket.isClosed()) {
            return;
        }
        if (MonotonicTime.nanos(router.loop) - streakSince
                > router.config.redialFor().toNanos()) {
            LOG.info(
                    "{} peers, fewer than {}: gave up dialing more after {}",
                    router.table.size(),
                    floor(),
                    router.config.redialFor());
            return;
        }
        int missing = floor() - router.table.size() - router.discovery.dialsInFlight() - contactDials;
        for (Object candidate : candidates()) {
            if (missing <= 0) {
                break;
            }
            missing--;
            if (candidate instanceof MeshMessages.PeerEntry e) {
                LOG.debug("below {} peers: dialing {} at {}:{}", floor(), e.id(), e.host(), e.port());
                router.discovery.dialOnce(e.host(), e.port(), e.id(), () -> {
                    passive.remove(e.id());
                    check();
                });
            } else {
                dialContact((Contact) candidate);
            }
        }
        check();
    }

    private void dialContact(Contact c) {
        LOG.debug("below {} peers: dialing contact {}:{} again", floor(), c.host, c.port);
        c.dialing = true;
        contactDials++;
        router.socket
                .dial(c.host, c.port, null)
                .whenComplete((info, error) -> router.onLoop(() -> {
                    c.dialing = false;
                    contactDials--;
                    if (info != null) {
                        c.id = info.id();
                    }
                    check();
                }));
    }

    /** Whom to dial, in order: the passive view's unlinked entries (shuffled), then contacts. */
    private List<Object> candidates() {
        List<Object> out = new ArrayList<>();
        for (MeshMessages.PeerEntry e : passive.values()) {
            if (router.discovery.shouldDial(e.host(), e.port(), e.id())) {
                out.add(e);
            }
        }
        Collections.shuffle(out, random());
        for (Contact c : contacts.values()) {
            if (!c.dialing && !linked(c) && router.connections.size() < router.config.maxPeers()) {
                out.add(c);
            }
        }
        return out;
    }

    private boolean linked(Contact c) {
        if (c.id != null && (router.table.containsKey(c.id) || c.id.equals(router.ownId))) {
            return true;
        }
        for (Connection conn : router.connections) {
            if (c.host.equals(conn.advertisedHost()) && c.port == conn.advertisedPort()) {
                return true;
            }
        }
        return false;
    }

    private void endStreak() {
        streakSince = NO_STREAK;
        backoff.reset();
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Seeded from the node id, so a simulation with given ids repeats itself. */
    private Random random() {
        if (random == null) {
            random = new Random(router.ownId.hashCode());
        }
        return random;
    }
}
