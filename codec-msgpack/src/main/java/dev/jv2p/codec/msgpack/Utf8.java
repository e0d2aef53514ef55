package dev.jv2p.codec.msgpack;

import java.nio.charset.StandardCharsets;

/**
 * UTF-8 decoding that replaces malformed input exactly as js2p does.
 *
 * <p>js2p turns msgpack str (and bin map keys) into JavaScript strings with Node's decoder,
 * which follows the WHATWG Encoding Standard: one U+FFFD per maximal invalid subpart. The
 * JDK decoder agrees on valid input and on most malformed input, but not on encoded
 * surrogates: it gives one U+FFFD for {@code ED A0 80} where Node gives three. A key or
 * value that decodes differently on a jv2p and a js2p node would split a mixed mesh, so
 * malformed strings take the WHATWG path here.
 */
final class Utf8 {
    private static final char REPLACEMENT = '\uFFFD';

    private Utf8() {}

    static String decode(byte[] bytes, int offset, int length) {
        String fast = new String(bytes, offset, length, StandardCharsets.UTF_8);
        // The JDK replaces every malformed sequence with U+FFFD, so a result without one came
        // from valid UTF-8, on which both decoders agree. Text that legitimately contains
        // U+FFFD merely takes the slower path.
        if (fast.indexOf(REPLACEMENT) < 0) {
            return fast;
        }
        return decodeReplacing(bytes, offset, length);
    }

    /** The WHATWG "UTF-8 decode" algorithm with replacement, byte by byte. */
    static String decodeReplacing(byte[] bytes, int offset, int length) {
        StringBuilder out = new StringBuilder(length);
        int codePoint = 0;
        int needed = 0;
        int seen = 0;
        int lower = 0x80;
        int upper = 0xBF;
        int end = offset + length;
        int i = offset;
        while (i < end) {
            int b = bytes[i] & 0xff;
            if (needed == 0) {
                i++;
                if (b <= 0x7F) {
                    out.append((char) b);
                } else if (b >= 0xC2 && b <= 0xDF) {
                    needed = 1;
                    codePoint = b & 0x1F;
                } else if (b >= 0xE0 && b <= 0xEF) {
                    // E0 would be overlong below A0; ED would encode a surrogate above 9F.
                    lower = b == 0xE0 ? 0xA0 : 0x80;
                    upper = b == 0xED ? 0x9F : 0xBF;
                    needed = 2;
                    codePoint = b & 0x0F;
                } else if (b >= 0xF0 && b <= 0xF4) {
                    // F0 would be overlong below 90; F4 would pass U+10FFFF above 8F.
                    lower = b == 0xF0 ? 0x90 : 0x80;
                    upper = b == 0xF4 ? 0x8F : 0xBF;
                    needed = 3;
                    codePoint = b & 0x07;
                } else {
                    out.append(REPLACEMENT);
                }
                continue;
            }
            if (b < lower || b > upper) {
                // The sequence so far is one invalid subpart; this byte starts afresh, so it is
                // not consumed here.
                out.append(REPLACEMENT);
                codePoint = 0;
                needed = 0;
                seen = 0;
                lower = 0x80;
                upper = 0xBF;
                continue;
            }
            i++;
            lower = 0x80;
            upper = 0xBF;
            codePoint = (codePoint << 6) | (b & 0x3F);
            if (++seen == needed) {
                out.appendCodePoint(codePoint);
                codePoint = 0;
                needed = 0;
                seen = 0;
            }
        }
        if (needed != 0) {
            out.append(REPLACEMENT);
        }
        return out.toString();
    }
}
