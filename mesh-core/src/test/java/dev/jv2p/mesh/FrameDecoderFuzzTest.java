package dev.jv2p.mesh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The length-prefix decoder on any byte stream, cut into pieces wherever the fuzzer likes:
 * it yields exactly the frames a plain reading of the stream finds, fails only with
 * {@link TooLongFrameException} or {@link CorruptedFrameException}, and only at the first
 * prefix over the limit, and releases every buffer. Buffers come from an allocator of this
 * test, whose count of bytes in use must be back at zero when the channel is closed.
 */
class FrameDecoderFuzzTest {
    private static final int MAX_PIECES = 16;

    @FuzzTest
    void yieldsThePrefixedFramesOfAnyStreamHoweverItIsCut(FuzzedDataProvider data) {
        int limit = data.consumeInt(0, 300);
        int pieces = data.consumeInt(1, MAX_PIECES);
        int[] cuts = new int[pieces - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = data.consumeInt(0, 1 << 12);
        }
        byte[] stream = data.consumeRemainingAsBytes();
        Expected expected = Expected.read(stream, limit);

        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        FrameDecoder decoder = new FrameDecoder(limit);
        ch.pipeline().addLast(decoder);

        List<byte[]> frames = new ArrayList<>();
        boolean failed = false;
        int from = 0;
        for (int i = 0; i <= cuts.length && !failed; i++) {
            int to = i < cuts.length ? Math.min(stream.length, from + cuts[i]) : stream.length;
            ByteBuf piece = alloc.heapBuffer(to - from).writeBytes(stream, from, to - from);
            try {
                ch.writeInbound(piece);
            } catch (TooLongFrameException | CorruptedFrameException e) {
                // The connection is closed on the first bad prefix; nothing after it matters.
                failed = true;
            }
            drain(ch, frames);
            from = to;
        }
        if (!failed) {
            assertEquals(stream.length - expected.consumed > 0, decoder.hasPartialFrame());
            ch.finish();
            drain(ch, frames);
        } else {
            // Closing makes the decoder read on past the bad prefix, and may find another:
            // the node has closed the connection by then and ignores it.
            try {
                ch.finishAndReleaseAll();
            } catch (TooLongFrameException | CorruptedFrameException e) {
                ch.releaseInbound();
            }
        }

        assertEquals(expected.tooLong, failed, "failure on a prefix over the limit of " + limit);
        assertEquals(expected.frames.size(), frames.size(), "frames");
        for (int i = 0; i < frames.size(); i++) {
            assertArrayEquals(expected.frames.get(i), frames.get(i), "frame " + i);
        }
        assertEquals(0, alloc.metric().usedHeapMemory(), "heap bytes still held by buffers");
        assertEquals(0, alloc.metric().usedDirectMemory(), "direct bytes still held by buffers");
    }

    private static void drain(EmbeddedChannel ch, List<byte[]> frames) {
        ByteBuf frame;
        while ((frame = ch.readInbound()) != null) {
            try {
                frames.add(ByteBufUtil.getBytes(frame));
            } finally {
                frame.release();
            }
        }
    }

    /** The frames of a stream read the obvious way, up to the first prefix over the limit. */
    private record Expected(List<byte[]> frames, boolean tooLong, int consumed) {
        static Expected read(byte[] stream, int limit) {
            List<byte[]> frames = new ArrayList<>();
            int at = 0;
            while (stream.length - at >= 4) {
                long length = ((stream[at] & 0xffL) << 24)
                        | ((stream[at + 1] & 0xff) << 16)
                        | ((stream[at + 2] & 0xff) << 8)
                        | (stream[at + 3] & 0xff);
                if (length > limit) {
                    return new Expected(frames, true, at);
                }
                if (stream.length - at - 4 < length) {
                    break;
                }
                frames.add(Arrays.copyOfRange(stream, at + 4, at + 4 + (int) length));
                at += 4 + (int) length;
            }
            assertTrue(at <= stream.length);
            return new Expected(frames, false, at);
        }
    }
}
