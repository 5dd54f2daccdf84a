package dev.tether.context;

import dev.tether.session.Usage;

/**
 * Receives the usage of every auxiliary model call that answered (title, RLM iterations and sub-calls, compaction
 * summaries) the moment it completes, also when the answer is then discarded, so the caller can add it to
 * {@code Session.usage} and the turn's {@code SessionResult.usage} even when the operation is later cancelled or
 * fails (spec §5.4: only calls that reported no usage and carried no answer count nothing). The same delta is emitted
 * as a {@code token_usage} event.
 */
@FunctionalInterface
public interface UsageSink {

    void add(Usage usage);

    /** Discards usage (tests, dry runs). */
    UsageSink NONE = usage -> {
    };
}
