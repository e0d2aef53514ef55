package dev.jv2p.mesh;

import dev.jv2p.mesh.internal.Backoff;
import dev.jv2p.mesh.internal.Base58;
import dev.jv2p.mesh.internal.Hashes;
import dev.jv2p.mesh.spi.Flags;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peers lists, {@code '*'} requests, and the request/response path that finds the address of
 * a node that is not a neighbour (spec §9.4, §11). Runs on the node's event loop.
 */
final class PeerDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(PeerDiscovery.class);
    private static final int MAX_PENDING_REQUESTS = 1024;
    /** Ignored {@code '*'} requests in a row after which a connection is closed as hostile. */
    static final int MAX_IGNORED_STATE_REQUESTS = 10;

    private final Router router;
    /** Ids and addresses being dialed from peers lists or responses, to avoid dialing twice. */
    private final Set<String> dialing = new HashSet<>();
    /** The ids among {@link #dialing}: dials in flight, counted against {@code maxOutgoing}. */
    private final Set<String> dialingIds = new HashSet<>();
    /** Replies waiting for the address of their destination, by request id. */
    private final Map<String, PendingReply> pending = new LinkedHashMap<>();

    private long requestCounter;

    private record PendingReply(String target, List<List<Object>> replies) {}

    /**
     * Peers this node dialed from peers lists or responses whose dial failed or whose
     * connection was lost, by id: dialed again with back-off until reached or until {@code
     * redialFor} has passed. Without this, a peer that lost its links while paused or cut off
     * may never be dialed again: its neighbours forget it, and it may still list them (a link
     * whose close never reached it). At most {@code maxPeers} entries.
     */
    private final Map<String, Redial> redials = new LinkedHashMap<>();

    private static final class Redial {
        final String host;
        final int port;
        final long giveUpNanos;
        final Backoff backoff;
        ScheduledFuture<?> timer;

        Redial(String host, int port, long giveUpNanos, Duration maxDelay) {
            this.host = host;
            this.port = port;
            this.giveUpNanos = giveUpNanos;
            this.backoff = new Backoff(Duration.ofSeconds(1), maxDelay);
        }
    }

    PeerDiscovery(Router router) {
        this.router = router;
    }

    /** The peers list sent to {@code to}: every handshaken peer except {@code to} itself. */
    List<Object> peersList(Connection to) {
        List<Object> list = new ArrayList<>();
        for (Connection c : router.table.values()) {
            if (c != to && c.advertisedHost() != null) {
                list.add(List.of(List.of(c.advertisedHost(), (long) c.advertisedPort()), c.id()));
            }
        }
        return list;
    }

    void onStateRequest(Connection from) {
        if (!stateRequestAllowed(from)) {
            return;
        }
        List<Object> list = peersList(null);
        if (from.id() != null && !router.table.containsKey(from.id()) && from.advertisedHost() != null) {
            list.add(List.of(List.of(from.advertisedHost(), (long) from.advertisedPort()), from.id()));
        }
        from.sendNow(Flags.WHISPER, List.of((long) Flags.PEERS, list));
        for (PeerEvents e : router.peerEvents) {
            Router.safely(() -> e.onStateRequest(from));
        }
    }

    /** See {@link StateRequestThrottle}; a peer that keeps asking too soon is disconnected. */
    private boolean stateRequestAllowed(Connection from) {
        StateRequestThrottle throttle = from.stateRequests();
        if (throttle.allow(MonotonicTime.nanos(router.loop), router.config.stateRequestInterval())) {
            return true;
        }
        if (throttle.ignoredInARow() >= MAX_IGNORED_STATE_REQUESTS) {
            from.close(
                    "asked for the full state " + MAX_IGNORED_STATE_REQUESTS
                            + " times in a row within stateRequestInterval (" + router.config.stateRequestInterval()
                            + ")",
                    true);
        } else {
            LOG.debug(
                    "{} asked for the full state again within {}; ignored", from, router.config.stateRequestInterval());
        }
        return false;
    }

    void onPeers(List<MeshMessages.PeerEntry> entries) {
        if (!router.config.dialPeerLists()) {
            return;
        }
        for (MeshMessages.PeerEntry e : entries) {
            if (outgoingCount() >= router.config.maxOutgoing()) {
                break;
            }
            if (shouldDial(e.host(), e.port(), e.id())) {
                dial(e.host(), e.port(), e.id(), null);
            }
        }
        router.membership.learn(entries);
    }

    /** Dials in flight to ids from peers lists, responses and {@link Membership}. */
    int dialsInFlight() {
        return dialingIds.size();
    }

    /** Dials {@code id} once, for {@link Membership}: a failure runs {@code onFailure}, no redial. */
    void dialOnce(String host, int port, String id, Runnable onFailure) {
        dial(host, port, id, null, onFailure);
    }

    /**
     * Unlike js2p, a peer on the same host or port as a known one is still dialed: only the
     * same id or the very same address is skipped.
     */
    boolean shouldDial(String host, int port, String id) {
        if (id.equals(router.ownId)
                || router.table.containsKey(id)
                || dialing.contains(id)
                || dialing.contains(host + ":" + port)
                || router.membership.atLimit(id)) {
            return false;
        }
        if (host.equals(router.advertisedHost) && port == router.advertisedPort) {
            return false;
        }
        if (router.connections.size() >= router.config.maxPeers()) {
            return false;
        }
        for (Connection c : router.connections) {
            if (id.equals(c.id()) || (host.equals(c.advertisedHost()) && port == c.advertisedPort())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Outgoing connections, dials in flight included: a dial completes only after this loop
     * has walked the whole list, so counting established connections alone would dial every
     * entry of every list and make the mesh a near-complete graph.
     */
    private int outgoingCount() {
        int n = dialingIds.size();
        for (Connection c : router.connections) {
            if (c.isOutgoing() && (c.expectedId() == null || !dialingIds.contains(c.expectedId()))) {
                n++;
            }
        }
        return n;
    }

    private void dial(String host, int port, String id, Runnable onReady) {
        dial(host, port, id, onReady, () -> redialLater(id, host, port));
    }

    private void dial(String host, int port, String id, Runnable onReady, Runnable onFailure) {
        String address = host + ":" + port;
        dialing.add(id);
        dialingIds.add(id);
        dialing.add(address);
        router.socket
                .dial(host, port, id)
                .whenComplete((info, error) -> router.onLoop(() -> {
                    dialing.remove(id);
                    dialingIds.remove(id);
                    dialing.remove(address);
                    if (error != null) {
                        LOG.debug("could not dial {} at {}: {}", id, address, error.getMessage());
                        onFailure.run();
                    } else {
                        Redial r = redials.remove(id);
                        if (r != null && r.timer != null) {
                            r.timer.cancel(false);
                        }
                        if (onReady != null) {
                            onReady.run();
                        }
                    }
                }));
    }

    /** Dials {@code id} at its address again after a back-off, unless given up on (see {@link #redials}). */
    private void redialLater(String id, String host, int port) {
        if (router.config.redialFor().isZero() || !router.config.dialPeerLists() || router.socket.isClosed()) {
            return;
        }
        long now = MonotonicTime.nanos(router.loop);
        Redial r = redials.get(id);
        if (r == null) {
            if (redials.size() >= router.config.maxPeers()) {
                return;
            }
            r = new Redial(host, port, now + router.config.redialFor().toNanos(), router.config.keepAliveTimeout());
            redials.put(id, r);
        }
        if (r.timer != null && !r.timer.isDone()) {
            return;
        }
        if (now - r.giveUpNanos > 0) {
            redials.remove(id);
            LOG.info("gave up dialing {} at {}:{} after {}", id, r.host, r.port, router.config.redialFor());
            return;
        }
        Redial entry = r;
        long delay = r.backoff.next().toNanos();
        try {
            r.timer = router.loop.schedule(() -> redial(id, entry), delay, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            redials.remove(id);
        }
    }

    private void redial(String id, Redial r) {
        r.timer = null;
        if (redials.get(id) != r || router.socket.isClosed()) {
            return;
        }
        if (router.table.containsKey(id)) {
            redials.remove(id); // reached meanwhile, by a dial of either side
            return;
        }
        if (dialing.contains(id) || dialing.contains(r.host + ":" + r.port)) {
            // Another dial is on its way there: look again later (a dial of this very id settles
            // this entry when it completes, and finds this timer pending).
            redialLater(id, r.host, r.port);
            return;
        }
        if (outgoingCount() >= router.config.maxOutgoing()
                || router.connections.size() >= router.config.maxPeers()
                || router.membership.atLimit(id)) {
            redialLater(id, r.host, r.port);
            return;
        }
        LOG.debug("dialing {} at {}:{} again", id, r.host, r.port);
        dial(r.host, r.port, id, null);
    }

    /** Someone looks for {@code wanted}: answer on the same connection if it is us or a neighbour. */
    void onLookup(Connection from, MeshMessages.Lookup lookup) {
        String target = lookup.target();
        String host;
        int port;
        if (target.equals(router.ownId)) {
            host = router.advertisedHost;
            port = router.advertisedPort;
        } else {
            Connection c = router.table.get(target);
            if (c == null || c.advertisedHost() == null) {
                return;
            }
            host = c.advertisedHost();
            port = c.advertisedPort();
        }
        from.sendNow(
                Flags.BROADCAST,
                List.of((long) Flags.RESPONSE, lookup.requestId(), List.of(List.of(host, (long) port), target)));
    }

    void onResponse(MeshMessages.Response response) {
        MeshMessages.PeerEntry answer = response.answer();
        if (!pending.containsKey(response.requestId()) || answer == null) {
            return;
        }
        String id = answer.id();
        PendingReply reply = pending.remove(response.requestId());
        if (!id.equals(reply.target())) {
            return;
        }
        Runnable deliver = () -> {
            Connection c = router.table.get(id);
            if (c != null) {
                for (List<Object> packets : reply.replies()) {
                    c.sendNow(Flags.WHISPER, packets);
                }
            }
        };
        if (router.table.containsKey(id)) {
            deliver.run();
        } else {
            dial(answer.host(), answer.port(), id, deliver);
        }
    }

    /** Sends {@code payload} to {@code target}: directly if adjacent, else after a lookup. */
    void reply(String target, List<Object> payload) {
        assert router.loop.inEventLoop();
        Connection c = router.table.get(target);
        if (c != null) {
            c.sendNow(Flags.WHISPER, payload);
            return;
        }
        for (PendingReply p : pending.values()) {
            if (p.target().equals(target)) {
                p.replies().add(payload);
                return;
            }
        }
        if (pending.size() >= MAX_PENDING_REQUESTS) {
            LOG.warn("too many replies waiting for addresses; dropping the reply to {}", target);
            return;
        }
        String seed = router.ownId + Base58.encode(java.math.BigInteger.valueOf(router.now())) + (++requestCounter);
        String rid = Base58.encode(Hashes.sha384(seed.getBytes(StandardCharsets.UTF_8)));
        List<List<Object>> replies = new ArrayList<>();
        replies.add(payload);
        pending.put(rid, new PendingReply(target, replies));
        router.loop.schedule(
                () -> {
                    if (pending.remove(rid) != null) {
                        LOG.info("no route to {} found; a reply to it was dropped", target);
                    }
                },
                router.config.broadcastWindow().toMillis(),
                TimeUnit.MILLISECONDS);
        router.relay.sendToAll(Flags.BROADCAST, router.now(), List.of((long) Flags.REQUEST, rid, target));
    }

    /**
     * A link this node dialed from a peers list that closes after its handshake without being
     * dropped on purpose (the peer closed it, the network broke it, or it fell silent) is
     * dialed again; see {@link #redials}. Not a referral ({@link Membership#atLimit}): the dial
     * succeeded, so its back-off would start over, and the node would be referred once a second. Dials clean up after themselves; pending replies
     * expire.
     */
    void onClosed(Connection c) {
        if (c.isOutgoing()
                && c.expectedId() != null
                && c.isHandshaken()
                && c.id() != null
                && (c.closeReason() == null || c.wasLost())
                && !router.table.containsKey(c.id())
                && !router.membership.atLimit(c.id())
                && c.advertisedHost() != null) {
            redialLater(c.id(), c.advertisedHost(), c.advertisedPort());
        }
    }
}
