package dev.jv2p.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jv2p.sync.Key;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The entry hash every jv2p node must compute alike: the buffer-based implementation against
 * the definition written with a plain {@link DataOutputStream}, for every kind of value, long
 * strings (past the buffer's first size) and non-ASCII text.
 */
class StoreDigestTest {
    @Test
    void theEntryHashIsTheDocumentedEncodingHashed() throws Exception {
        Map<Object, Object> nested = new LinkedHashMap<>();
        nested.put("b", List.of(1L, 2.5d, true));
        nested.put("a", new byte[] {0, (byte) 0xff});
        List<Object> values = List.of(
                "value",
                "",
                "ü ✓ \ud83d\ude00",
                "x".repeat(5000),
                42L,
                -1L,
                3.25d,
                false,
                new byte[700],
                List.of(List.of()),
                nested,
                new BigInteger("18446744073709551615"));
        for (Object value : values) {
            for (String owner : List.of("owner", "o".repeat(300))) {
                Entry e = new Entry(
                        Key.of("key ✓".getBytes(StandardCharsets.UTF_8)),
                        value,
                        new WriteStamp(1_800_000_123L, owner, 7));
                assertEquals(
                        reference(e), StoreDigest.entryHash(e).high(), value + " by " + owner.length() + "-char owner");
            }
        }
        Entry tombstone = new Entry(Key.of("gone"), null, new WriteStamp(5, "me", 0));
        assertEquals(reference(tombstone), StoreDigest.entryHash(tombstone).high());
    }

    private static long reference(Entry entry) throws IOException, java.security.NoSuchAlgorithmException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(entry.key().length());
            out.write(entry.key().bytes());
            out.writeLong(entry.stamp().timestamp());
            out.writeInt(entry.stamp().owner().length());
            out.writeChars(entry.stamp().owner());
            out.writeLong(entry.stamp().seq());
            Canonical.write(out, entry.value());
        }
        return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(buffer.toByteArray()))
                .getLong();
    }
}
