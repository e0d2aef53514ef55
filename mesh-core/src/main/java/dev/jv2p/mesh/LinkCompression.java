package dev.jv2p.mesh;

import dev.jv2p.mesh.spi.Compression;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one peer announced and what follows from it: the peer may send with any announced
 * method this node supports, and this node sends with the first of its own preference that
 * the peer announced (none: uncompressed).
 *
 * @param announced the peer's ids, in its order
 * @param receive the methods the peer may send with
 * @param send the method this node sends with, or null
 */
record LinkCompression(List<Integer> announced, List<Compression> receive, Compression send) {
    static final LinkCompression NONE = new LinkCompression(List.of(), List.of(), null);

    static LinkCompression negotiate(
            List<Integer> announced, Map<Integer, Compression> supported, List<Compression> preference) {
        List<Compression> receive = new ArrayList<>();
        for (Integer id : announced) {
            Compression c = supported.get(id);
            if (c != null) {
                receive.add(c);
            }
        }
        Compression send = null;
        for (Compression mine : preference) {
            if (announced.contains(mine.flag())) {
                send = mine;
                break;
            }
        }
        return new LinkCompression(List.copyOf(announced), List.copyOf(receive), send);
    }
}
