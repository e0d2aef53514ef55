package dev.jv2p.mesh;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFullBucketAllowsTheBurstAndThenRefuses() {
        TokenBucket bucket = new TokenBucket(10, 5, 0);
        for (int i = 0; i < 5; i++) {
            assertTrue(bucket.tryTake(0), "token " + i);
        }
        assertFalse(bucket.tryTake(0));
    }

    @Test
    void tokensComeBackAtTheRate() {
        TokenBucket bucket = new TokenBucket(10, 5, 0);
        for (int i = 0; i < 5; i++) {
            bucket.tryTake(0);
        }
        assertFalse(bucket.tryTake(SECOND / 20)); // half a token
        assertTrue(bucket.tryTake(SECOND / 10));
        assertFalse(bucket.tryTake(SECOND / 10));
    }

    @Test
    void theBucketNeverHoldsMoreThanTheBurst() {
        TokenBucket bucket = new TokenBucket(1000, 3, 0);
        long later = 3600 * SECOND;
        for (int i = 0; i < 3; i++) {
            assertTrue(bucket.tryTake(later));
        }
        assertFalse(bucket.tryTake(later));
    }
}
