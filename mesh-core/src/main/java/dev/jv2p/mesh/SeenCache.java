package dev.jv2p.mesh;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Broadcast ids seen recently: checksums (which cover the message's time, so a checksum alone
 * tells messages apart) with the second each was recorded, and nothing else. Bounded by age (the broadcast window) and by count. At the count bound the
 * oldest id is forgotten first; a copy of that broadcast arriving again inside its window
 * would then be delivered a second time, so the bound should exceed the number of
 * broadcasts a mesh carries per window. Owned by the node's event loop; not thread-safe.
 *
 * <p>Every broadcast of the last minute has an entry here, so the layout is primitive: an id
 * is kept as 128 bits (the first 16 bytes of its SHA-256 checksum),
 * in a ring of insertion order, found through an open-addressing table of ring positions.
 * That is about 40 bytes per id instead of some 200 for objects in a linked hash map. Two
 * distinct broadcasts collide with probability about n²/2¹²⁹ for n ids held. The arrays
 * grow with use, so an idle node holds almost nothing.
 */
final class SeenCache {
    private static final int INITIAL_CAPACITY = 256;
    private static final int EMPTY = -1;

    private final long windowSeconds;
    private final int maxEntries;
    private long evictedForSize;

    // The ring: entries head .. head + size - 1 (mod capacity), oldest first.
    private long[] hi = new long[INITIAL_CAPACITY];
    private long[] lo = new long[INITIAL_CAPACITY];
    private long[] recorded = new long[INITIAL_CAPACITY];
    private int head;
    private int size;
    /** Ring positions by id hash, linear probing; {@link #EMPTY} marks a free slot. Load ≤ 1/2. */
    private int[] table = newTable(INITIAL_CAPACITY * 2);

    SeenCache(long windowSeconds, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
        }
        this.windowSeconds = windowSeconds;
        this.maxEntries = maxEntries;
    }

    /** Records the id of a message stamped {@code time}; returns {@code false} if it was already there. */
    boolean add(byte[] checksum, long time, long nowSeconds) {
        prune(nowSeconds);
        long h = high(checksum, 0);
        long l = low(checksum, 0);
        if (find(h, l) != EMPTY) {
            return false;
        }
        if (size == maxEntries) {
            removeOldest();
            evictedForSize++;
        } else if (size == hi.length) {
            grow();
        }
        int position = (head + size) % hi.length;
        hi[position] = h;
        lo[position] = l;
        recorded[position] = nowSeconds;
        size++;
        insert(position);
        return true;
    }

    boolean contains(byte[] checksum) {
        return contains(checksum, 0);
    }

    /** Whether the checksum at {@code offset} of {@code bytes} (at least 16 bytes of it) was seen. */
    boolean contains(byte[] bytes, int offset) {
        return find(high(bytes, offset), low(bytes, offset)) != EMPTY;
    }

    int size() {
        return size;
    }

    long evictedForSize() {
        return evictedForSize;
    }

    /** Drops ids recorded more than the window ago; insertion order is time order. */
    void prune(long nowSeconds) {
        while (size > 0 && recorded[head] < nowSeconds - windowSeconds) {
            removeOldest();
        }
    }

    /** Reads a big-endian long from a byte array in place: every frame checks the cache. */
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private static long high(byte[] bytes, int offset) {
        return (long) LONG.get(bytes, offset);
    }

    private static long low(byte[] bytes, int offset) {
        return (long) LONG.get(bytes, offset + 8);
    }

    private int slotOf(long h) {
        long mixed = h ^ (h >>> 29);
        return (int) mixed & (table.length - 1);
    }

    /** The ring position holding (h, l), or {@link #EMPTY}. */
    private int find(long h, long l) {
        int mask = table.length - 1;
        for (int slot = slotOf(h); ; slot = (slot + 1) & mask) {
            int position = table[slot];
            if (position == EMPTY) {
                return EMPTY;
            }
            if (hi[position] == h && lo[position] == l) {
                return position;
            }
        }
    }

    private void insert(int position) {
        int mask = table.length - 1;
        int slot = slotOf(hi[position]);
        while (table[slot] != EMPTY) {
            slot = (slot + 1) & mask;
        }
        table[slot] = position;
    }

    private void removeOldest() {
        int position = head;
        int mask = table.length - 1;
        int slot = slotOf(hi[position]);
        while (table[slot] != position) {
            slot = (slot + 1) & mask;
        }
        // Backward-shift deletion keeps every probe chain unbroken without tombstones.
        int free = slot;
        for (int next = (free + 1) & mask; table[next] != EMPTY; next = (next + 1) & mask) {
            int home = slotOf(hi[table[next]]);
            boolean movable = free <= next ? home <= free || home > next : home <= free && home > next;
            if (movable) {
                table[free] = table[next];
                free = next;
            }
        }
        table[free] = EMPTY;
        head = (head + 1) % hi.length;
        size--;
    }

    private void grow() {
        int capacity = (int) Math.min((long) hi.length * 2, maxEntries);
        long[] newHi = new long[capacity];
        long[] newLo = new long[capacity];
        long[] newRecorded = new long[capacity];
        for (int i = 0; i < size; i++) {
            int from = (head + i) % hi.length;
            newHi[i] = hi[from];
            newLo[i] = lo[from];
            newRecorded[i] = recorded[from];
        }
        hi = newHi;
        lo = newLo;
        recorded = newRecorded;
        head = 0;
        table = newTable(Integer.highestOneBit(capacity) * 4);
        for (int i = 0; i < size; i++) {
            insert(i);
        }
    }

    private static int[] newTable(int length) {
        int[] t = new int[length];
        Arrays.fill(t, EMPTY);
        return t;
    }
}
