package dev.jv2p.mesh.testing;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.SplittableRandom;

/**
 * A {@link FuzzedDataProvider} that draws from a seeded random generator instead of fuzzer
 * input, so that the generators written for fuzz tests also drive seeded randomized tests.
 * Never runs out: {@link #remainingBytes()} is always large, and the "remaining" methods
 * return a few dozen values. Edge values (bounds, zero, NaN, infinities, surrogates) come up
 * more often than uniform drawing would give them.
 */
public final class RandomDataProvider implements FuzzedDataProvider {
    private static final int REMAINING = 64;
    private static final double[] SPECIAL_DOUBLES = {
        0.0,
        -0.0,
        Double.NaN,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE,
        Double.MAX_VALUE,
        1.0,
        -1.0,
        0.5
    };

    private final SplittableRandom random;

    public RandomDataProvider(long seed) {
        this.random = new SplittableRandom(seed);
    }

    private boolean edge() {
        return random.nextInt(8) == 0;
    }

    @Override
    public boolean consumeBoolean() {
        return random.nextBoolean();
    }

    @Override
    public boolean[] consumeBooleans(int maxLength) {
        boolean[] out = new boolean[random.nextInt(maxLength + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = consumeBoolean();
        }
        return out;
    }

    @Override
    public byte consumeByte() {
        return (byte) consumeLong(Byte.MIN_VALUE, Byte.MAX_VALUE);
    }

    @Override
    public byte consumeByte(byte min, byte max) {
        return (byte) consumeLong(min, max);
    }

    @Override
    public byte[] consumeBytes(int maxLength) {
        byte[] out = new byte[random.nextInt(maxLength + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) random.nextInt(256);
        }
        return out;
    }

    @Override
    public byte[] consumeRemainingAsBytes() {
        return consumeBytes(REMAINING);
    }

    @Override
    public short consumeShort() {
        return (short) consumeLong(Short.MIN_VALUE, Short.MAX_VALUE);
    }

    @Override
    public short consumeShort(short min, short max) {
        return (short) consumeLong(min, max);
    }

    @Override
    public short[] consumeShorts(int maxLength) {
        short[] out = new short[random.nextInt(maxLength + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = consumeShort();
        }
        return out;
    }

    @Override
    public int consumeInt() {
        return (int) consumeLong(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    @Override
    public int consumeInt(int min, int max) {
        return (int) consumeLong(min, max);
    }

    @Override
    public int[] consumeInts(int maxLength) {
        int[] out = new int[random.nextInt(maxLength + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = consumeInt();
        }
        return out;
    }

    @Override
    public long consumeLong() {
        return consumeLong(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Override
    public long consumeLong(long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " > max " + max);
        }
        if (edge()) {
            long[] edges = {min, max, Math.max(min, Math.min(max, 0))};
            return edges[random.nextInt(edges.length)];
        }
        if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) {
            return random.nextLong();
        }
        if (max - min >= 0 && max - min < Long.MAX_VALUE) {
            return min + random.nextLong(max - min + 1);
        }
        // The span overflows a long: draw until the value falls inside.
        long v;
        do {
            v = random.nextLong();
        } while (v < min || v > max);
        return v;
    }

    @Override
    public long[] consumeLongs(int maxLength) {
        long[] out = new long[random.nextInt(maxLength + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = consumeLong();
        }
        return out;
    }

    @Override
    public float consumeFloat() {
        return (float) consumeDouble();
    }

    @Override
    public float consumeRegularFloat() {
        return (float) consumeRegularDouble(-Float.MAX_VALUE, Float.MAX_VALUE);
    }

    @Override
    public float consumeRegularFloat(float min, float max) {
        return (float) consumeRegularDouble(min, max);
    }

    @Override
    public float consumeProbabilityFloat() {
        return (float) consumeProbabilityDouble();
    }

    @Override
    public double consumeDouble() {
        return edge()
                ? SPECIAL_DOUBLES[random.nextInt(SPECIAL_DOUBLES.length)]
                : Double.longBitsToDouble(random.nextLong());
    }

    @Override
    public double consumeRegularDouble() {
        double v = consumeDouble();
        return Double.isFinite(v) ? v : 0.0;
    }

    @Override
    public double consumeRegularDouble(double min, double max) {
        return Math.max(min, Math.min(max, min + (max / 2 - min / 2) * 2 * random.nextDouble()));
    }

    @Override
    public double consumeProbabilityDouble() {
        return random.nextDouble();
    }

    @Override
    public char consumeChar() {
        if (edge()) {
            char[] edges = {'\0', '\uD800', '\uDC00', '\uDBFF', '\uDFFF', '\uFFFD', '\uFFFF'};
            return edges[random.nextInt(edges.length)];
        }
        return random.nextBoolean() ? (char) (0x20 + random.nextInt(0x5F)) : (char) random.nextInt(0x10000);
    }

    @Override
    public char consumeChar(char min, char max) {
        return (char) consumeLong(min, max);
    }

    @Override
    public char consumeCharNoSurrogates() {
        char c;
        do {
            c = consumeChar();
        } while (Character.isSurrogate(c));
        return c;
    }

    @Override
    public String consumeString(int maxLength) {
        StringBuilder out = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        while (out.length() < length) {
            if (random.nextInt(16) == 0 && out.length() + 2 <= length) {
                out.appendCodePoint(0x10000 + random.nextInt(0x100000)); // a proper surrogate pair
            } else {
                out.append(consumeChar());
            }
        }
        return out.toString();
    }

    @Override
    public String consumeRemainingAsString() {
        return consumeString(REMAINING);
    }

    @Override
    public String consumeAsciiString(int maxLength) {
        char[] out = new char[random.nextInt(maxLength + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (char) random.nextInt(0x80);
        }
        return new String(out);
    }

    @Override
    public String consumeRemainingAsAsciiString() {
        return consumeAsciiString(REMAINING);
    }

    @Override
    public int remainingBytes() {
        return Integer.MAX_VALUE;
    }
}
