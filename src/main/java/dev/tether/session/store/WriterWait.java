package dev.tether.session.store;

import dev.tether.session.Cancellation;
import dev.tether.session.SessionBusyException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Waits for a session's writer held by someone else (another replica or process: their lock gives no signal when it
 * is released), by retrying with a backoff from {@link #FIRST_BACKOFF} doubling to {@link #MAX_BACKOFF}. A wait
 * ends early when the cancellation fires.
 */
final class WriterWait {

    static final Duration FIRST_BACKOFF = Duration.ofMillis(20);
    static final Duration MAX_BACKOFF = Duration.ofMillis(200);

    private WriterWait() {
    }

    static SessionWriter await(String id, Supplier<SessionWriter> open, Duration bound, Cancellation cancellation) {
        long deadline = System.nanoTime() + bound.toNanos();
        long backoff = FIRST_BACKOFF.toNanos();
        CountDownLatch cancelled = new CountDownLatch(1);
        try (Cancellation.Registration registration = cancellation.onCancel(cancelled::countDown)) {
            while (true) {
                cancellation.check();
                try {
                    return open.get();
                } catch (SessionBusyException busy) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new SessionBusyException("Session " + id + " was still busy after waiting " + bound
                                + " for its writer");
                    }
                    cancelled.await(Math.min(backoff, left), TimeUnit.NANOSECONDS);
                    backoff = Math.min(backoff * 2, MAX_BACKOFF.toNanos());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cancellation.CancelledException();
        }
    }
}
