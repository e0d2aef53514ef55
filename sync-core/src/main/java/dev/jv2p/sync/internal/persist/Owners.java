package dev.jv2p.sync.internal.persist;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How the owner of a write stamp is written: in full ({@link #INLINE}: a log record stands
 * alone), or in a snapshot by number, each owner's id (some 50 bytes) written in full only where
 * it first appears, so a million stamps of a few owners take four bytes each. A {@link #table()}
 * serves one snapshot, for writing or for reading it.
 */
final class Owners {
    /** Each owner in full, in modified UTF-8. */
    static final Owners INLINE = new Owners(false);

    private final boolean numbered;
    /** Writing: each owner's number. */
    private final Map<String, Integer> numbers = new HashMap<>();
    /** Reading: the owners by number. */
    private final List<String> owners = new ArrayList<>();

    private Owners(boolean numbered) {
        this.numbered = numbered;
    }

    /** A table for one snapshot. */
    static Owners table() {
        return new Owners(true);
    }

    /** The owner's number and, the first time, the owner in full. */
    void write(DataOutput out, String owner) throws IOException {
        if (!numbered) {
            out.writeUTF(owner);
            return;
        }
        Integer known = numbers.get(owner);
        if (known != null) {
            out.writeInt(known);
            return;
        }
        int next = numbers.size();
        numbers.put(owner, next);
        out.writeInt(next);
        out.writeUTF(owner);
    }

    String read(DataInput in) throws IOException {
        if (!numbered) {
            return in.readUTF();
        }
        int n = in.readInt();
        if (n >= 0 && n < owners.size()) {
            return owners.get(n);
        }
        if (n != owners.size()) {
            throw new IOException("owner number " + n + " where " + owners.size() + " owners are known");
        }
        String owner = in.readUTF();
        owners.add(owner);
        return owner;
    }
}
