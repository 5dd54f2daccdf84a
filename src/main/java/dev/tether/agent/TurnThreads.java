package dev.tether.agent;

import dev.tether.config.ManagedPools;
import dev.tether.config.TetherConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.microprofile.context.ManagedExecutor;

/**
 * Where turns run: a view of the Quarkus worker pool ({@link ManagedPools}) that admits at most
 * {@code tether.agent.max-concurrent-turns} prompts at once — running turns and prompts queued behind a session's
 * running turn, since both hold a thread. A prompt beyond the limit is refused at once ({@link TooManyTurnsException},
 * 503) rather than queued: a turn lasts minutes, and a client waiting that long without a word cannot tell a full
 * service from a stuck one.
 */
@ApplicationScoped
public class TurnThreads {

    private final int limit;
    private final Semaphore admitted;
    private final ManagedExecutor executor;

    @Inject
    public TurnThreads(TetherConfig config) {
        this(config.agent().maxConcurrentTurns());
    }

    TurnThreads(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("tether.agent.max-concurrent-turns must be at least 1");
        }
        this.limit = limit;
        this.admitted = new Semaphore(limit);
        this.executor = ManagedPools.bounded(limit);
    }

    /**
     * A prompt's place among the admitted ones. The turn leaves it when it releases its session (so a client prompting
     * again the moment it sees {@code done} finds the place free); at the latest when its task returns.
     */
    final class Admission {
        private final AtomicBoolean left = new AtomicBoolean();

        /** Frees the place; later calls do nothing. */
        void leave() {
            if (left.compareAndSet(false, true)) {
                admitted.release();
            }
        }
    }

    /** Runs {@code turn} on a turn thread; throws {@link TooManyTurnsException} when the limit is reached. */
    void start(Consumer<Admission> turn) {
        if (!admitted.tryAcquire()) {
            throw new TooManyTurnsException(limit);
        }
        Admission admission = new Admission();
        try {
            executor.execute(() -> {
                try {
                    turn.accept(admission);
                } finally {
                    admission.leave();
                }
            });
        } catch (RuntimeException e) { // shut down: the turn never ran
            admission.leave();
            throw e;
        }
    }

    /** Prompts admitted now (running or waiting for their session). */
    int admitted() {
        return limit - admitted.availablePermits();
    }

    /** Stops admitting turns and waits up to {@code grace} for the admitted ones to end; false when some did not. */
    boolean drain(Duration grace) {
        executor.shutdown();
        try {
            return executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @PreDestroy
    void close() {
        executor.shutdownNow();
    }
}
