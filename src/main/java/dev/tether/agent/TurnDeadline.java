package dev.tether.agent;

import dev.tether.session.Cancellation;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import java.time.Duration;
import java.util.Locale;

/**
 * The wall-time bound of one turn ({@code tether.agent.max-turn-duration}): when it passes, the turn is cancelled
 * through its ordinary cancellation handle (so a provider call, a wait or a tool stops at its next cancellation point)
 * and remembers that the limit, not a client, cancelled it: the turn then ends with {@code error}, not
 * {@code aborted}. The timer is a Mutiny delayed item on the shared worker pool, not a thread of its own.
 */
final class TurnDeadline implements AutoCloseable {

    static final String KEY = "tether.agent.max-turn-duration";

    private final Duration limit;
    private final Cancellable timer;
    private volatile boolean expired;

    TurnDeadline(Duration limit, Cancellation cancellation) {
        this.limit = limit;
        this.timer = Uni.createFrom().voidItem().onItem().delayIt().by(limit).subscribe().with(v -> {
            if (!cancellation.isCancelled()) {
                expired = true;
                cancellation.cancel();
            }
        });
    }

    /** Whether the limit cancelled the turn. */
    boolean expired() {
        return expired;
    }

    /** The error of a turn that ran out of time, naming the key that bounds it. */
    String message() {
        return "the turn exceeded " + KEY + " (" + format(limit) + ")";
    }

    @Override
    public void close() {
        timer.cancel();
    }

    /** A duration as config accepts it: {@code 10m}, {@code 1h30m}, {@code 0.5s}. */
    static String format(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
