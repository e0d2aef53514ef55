package dev.jv2p.sync.internal;

import dev.jv2p.mesh.internal.Hashes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Merkle tree over a batch of 32-byte leaves, so that one signature of the root covers every
 * write of the batch while each write stays verifiable on its own (it travels with its path).
 *
 * <p>Inner node: {@code SHA-256(0x01 ‖ left ‖ right)}; a node without a sibling moves up
 * unchanged. A path is a sequence of steps of 33 bytes: a side byte ({@code 0}: the sibling is
 * on the right, {@code 1}: on the left) and the sibling. A batch of n leaves gives paths of at
 * most ⌈log2 n⌉ steps.
 */
public final class MerkleBatch {
    /** Bytes per path step. */
    public static final int STEP = 33;

    private static final int HASH = 32;

    private final byte[] root;
    private final byte[][] paths;

    private MerkleBatch(byte[] root, byte[][] paths) {
        this.root = root;
        this.paths = paths;
    }

    /** Builds the tree of {@code leaves} (at least one). */
    public static MerkleBatch of(List<byte[]> leaves) {
        if (leaves.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one leaf");
        }
        int n = leaves.size();
        List<List<byte[]>> steps = new ArrayList<>(n);
        int[] position = new int[n];
        for (int i = 0; i < n; i++) {
            steps.add(new ArrayList<>());
            position[i] = i;
        }
        List<byte[]> level = new ArrayList<>(leaves);
        while (level.size() > 1) {
            List<byte[]> next = new ArrayList<>((level.size() + 1) / 2);
            for (int i = 0; i < level.size(); i += 2) {
                next.add(i + 1 < level.size() ? node(level.get(i), level.get(i + 1)) : level.get(i));
            }
            for (int leaf = 0; leaf < n; leaf++) {
                int p = position[leaf];
                int sibling = p ^ 1;
                if (sibling < level.size()) {
                    byte[] step = new byte[STEP];
                    step[0] = (byte) (p & 1);
                    System.arraycopy(level.get(sibling), 0, step, 1, HASH);
                    steps.get(leaf).add(step);
                }
                position[leaf] = p / 2;
            }
            level = next;
        }
        byte[][] paths = new byte[n][];
        for (int leaf = 0; leaf < n; leaf++) {
            List<byte[]> s = steps.get(leaf);
            byte[] path = new byte[s.size() * STEP];
            for (int j = 0; j < s.size(); j++) {
                System.arraycopy(s.get(j), 0, path, j * STEP, STEP);
            }
            paths[leaf] = path;
        }
        return new MerkleBatch(level.get(0), paths);
    }

    /** The Merkle root the batch signature covers. */
    public byte[] root() {
        return root.clone();
    }

    /** The path of leaf {@code i}. */
    public byte[] path(int i) {
        return paths[i].clone();
    }

    /**
     * The root that {@code leaf} and the path in {@code proof} from {@code offset} on lead to,
     * or {@code null} if the path is malformed.
     */
    public static byte[] rootOf(byte[] leaf, byte[] proof, int offset) {
        if (offset > proof.length || (proof.length - offset) % STEP != 0 || (proof.length - offset) / STEP > 32) {
            return null;
        }
        byte[] node = leaf;
        for (int at = offset; at < proof.length; at += STEP) {
            byte[] sibling = Arrays.copyOfRange(proof, at + 1, at + STEP);
            if (proof[at] == 0) {
                node = node(node, sibling);
            } else if (proof[at] == 1) {
                node = node(sibling, node);
            } else {
                return null;
            }
        }
        return node;
    }

    private static byte[] node(byte[] left, byte[] right) {
        byte[] input = new byte[1 + 2 * HASH];
        input[0] = 0x01;
        System.arraycopy(left, 0, input, 1, HASH);
        System.arraycopy(right, 0, input, 1 + HASH, HASH);
        return Hashes.sha256(input);
    }
}
