package dev.tether.agent;

import dev.tether.session.Cancellation;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Waits between retries and restarts; a wait is a cancellation point. Replaceable so tests can record waits. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration, Cancellation cancellation);

    /** Really waits, returning early (with {@link Cancellation.CancelledException}) when the turn is cancelled. */
    Sleeper REAL = (duration, cancellation) -> {
        CountDownLatch latch = new CountDownLatch(1);
        try (Cancellation.Registration registration = cancellation.onCancel(latch::countDown)) {
            latch.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cancellation.CancelledException();
        }
        cancellation.check();
    };
}
