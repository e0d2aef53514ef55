package dev.jv2p.sync;

import dev.jv2p.mesh.PeerLink;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Items due to peers (buckets to summarise, key hashes to ask for), sent in messages by one
 * sender per peer that sends nothing while the peer's queue is above its high water mark and
 * goes on once it drains. One sender per peer, because every sender may put one message on a
 * queue just below the mark: a dozen senders for a slow joiner passed
 * {@code maxQueuedBytesPerPeer} and cut it off. Items asked for while a sender runs join its
 * set. On the event loop only.
 */
final class PacedSends<T> {
    /** Sends one message of items taken from {@code pending}, removing those it sends. */
    interface Message<T> {
        void send(PeerLink peer, NavigableSet<T> pending);
    }

    private final Map<PeerLink, NavigableSet<T>> due = new HashMap<>();
    private final Comparator<? super T> order;
    private final Message<T> message;

    PacedSends(Comparator<? super T> order, Message<T> message) {
        this.order = order;
        this.message = message;
    }

    /** Sends {@code items} to {@code peer}, now as far as its queue allows, the rest as it drains. */
    void send(PeerLink peer, Collection<T> items) {
        NavigableSet<T> pending = due.get(peer);
        if (pending != null) {
            pending.addAll(items);
            return;
        }
        NavigableSet<T> fresh = new TreeSet<>(order);
        fresh.addAll(items);
        due.put(peer, fresh);
        Runnable sender = new Runnable() {
            @Override
            public void run() {
                while (!fresh.isEmpty() && peer.isOpen() && peer.isWritable()) {
                    message.send(peer, fresh);
                }
                if (!fresh.isEmpty() && peer.isOpen()) {
                    peer.whenWritable(this);
                } else {
                    due.remove(peer);
                }
            }
        };
        sender.run();
    }

    /** Forgets what was due to a peer whose link closed. */
    void forget(PeerLink peer) {
        due.remove(peer);
    }
}
