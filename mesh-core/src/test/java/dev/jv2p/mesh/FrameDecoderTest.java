package dev.jv2p.mesh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.internal.wire.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    private static final byte[][] BODIES = {
        "first".getBytes(StandardCharsets.US_ASCII), new byte[0], new byte[300],
    };

    private static byte[] stream() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] body : BODIES) {
            out.writeBytes(Frames.frame(body));
        }
        return out.toByteArray();
    }

    @Test
    void framesSurviveEverySplitOfTheStream() {
        byte[] stream = stream();
        for (int cut = 0; cut <= stream.length; cut++) {
            EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1024));
            ch.writeInbound(Unpooled.wrappedBuffer(stream, 0, cut));
            ch.writeInbound(Unpooled.wrappedBuffer(stream, cut, stream.length - cut));
            List<byte[]> got = new ArrayList<>();
            ByteBuf b;
            while ((b = ch.readInbound()) != null) {
                got.add(ByteBufUtil.getBytes(b));
                b.release();
            }
            assertEquals(BODIES.length, got.size(), "cut at " + cut);
            for (int i = 0; i < BODIES.length; i++) {
                assertArrayEquals(BODIES[i], got.get(i), "frame " + i + ", cut at " + cut);
            }
            assertFalse(ch.finish());
        }
    }

    @Test
    void byteByByteDeliveryYieldsTheSameFrames() {
        byte[] stream = stream();
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1024));
        for (byte x : stream) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {x}));
        }
        int n = 0;
        ByteBuf b;
        while ((b = ch.readInbound()) != null) {
            assertArrayEquals(BODIES[n++], ByteBufUtil.getBytes(b));
            b.release();
        }
        assertEquals(BODIES.length, n);
        ch.finishAndReleaseAll();
    }

    @Test
    void anOversizedLengthPrefixFailsAsSoonAsItIsRead() {
        FrameDecoder decoder = new FrameDecoder(1024);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        // 0xFFFFFFFF announced: js2p would try to buffer 4 GiB; jv2p refuses from the prefix alone.
        assertThrows(
                TooLongFrameException.class,
                () -> ch.writeInbound(
                        Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff})));
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void aFrameOfExactlyTheLimitIsAccepted() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(64));
        assertTrue(ch.writeInbound(Unpooled.wrappedBuffer(Frames.frame(new byte[64]))));
        ByteBuf b = ch.readInbound();
        assertEquals(64, b.readableBytes());
        b.release();
        assertThrows(
                TooLongFrameException.class, () -> ch.writeInbound(Unpooled.wrappedBuffer(Frames.frame(new byte[65]))));
        ch.finishAndReleaseAll();
    }

    @Test
    void aHalfFrameIsReportedAsPartial() {
        FrameDecoder decoder = new FrameDecoder(64);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        byte[] frame = Frames.frame(new byte[10]);
        ch.writeInbound(Unpooled.wrappedBuffer(frame, 0, 7));
        assertTrue(decoder.hasPartialFrame());
        ch.writeInbound(Unpooled.wrappedBuffer(frame, 7, frame.length - 7));
        assertFalse(decoder.hasPartialFrame());
        ch.finishAndReleaseAll();
    }
}
