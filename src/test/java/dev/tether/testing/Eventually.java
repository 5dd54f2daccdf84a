package dev.tether.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Settle waits for conditions no event signals (threads ending, connections closing): polls every 10 ms until the
 * condition holds or the timeout passes. Not for synchronising with the code under test where a latch or an await
 * can say when something happened.
 */
public final class Eventually {

    private static final long POLL_NANOS = Duration.ofMillis(10).toNanos();

    private Eventually() {
    }

    /** Whether {@code condition} held within {@code timeout}. */
    public static boolean holds(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return true;
    }
}
