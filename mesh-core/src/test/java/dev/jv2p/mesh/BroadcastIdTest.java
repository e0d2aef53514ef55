package dev.jv2p.mesh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A broadcast id reads and writes its 16 bytes as two big-endian longs, at any offset. */
class BroadcastIdTest {
    @Test
    void theIdIsTheFirstSixteenBytesAsBigEndianLongsAndWritesThemBack() {
        Random random = new Random(16);
        for (int round = 0; round < 1000; round++) {
            byte[] block = new byte[40];
            random.nextBytes(block);
            int offset = random.nextInt(block.length - BroadcastId.LENGTH + 1);
            BroadcastId id = BroadcastId.of(block, offset);
            ByteBuffer view = ByteBuffer.wrap(block); // big-endian, as the seen-cache reads it
            assertEquals(view.getLong(offset), id.hi());
            assertEquals(view.getLong(offset + 8), id.lo());
            assertArrayEquals(Arrays.copyOfRange(block, offset, offset + BroadcastId.LENGTH), id.bytes());
            byte[] into = new byte[40];
            id.writeTo(into, 3);
            assertEquals(id, BroadcastId.of(into, 3));
            assertEquals(id.hashCode(), BroadcastId.of(into, 3).hashCode());
            assertNotEquals(id, new BroadcastId(id.hi(), id.lo() + 1));
            assertNotEquals(id, new BroadcastId(id.hi() + 1, id.lo()));
        }
    }
}
