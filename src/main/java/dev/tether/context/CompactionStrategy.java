package dev.tether.context;

import java.util.Locale;

/** The {@code FallbackStrategy} of spec §6.9: what produced a compacted context. */
public enum CompactionStrategy {
    /** A model summary (RLM summary mode). */
    RLM,
    /** Deterministic chunk compression (summary failed or {@code rlm.mode} is off). */
    CHUNK_COMPRESS,
    /** Terminal truncation. */
    TRUNCATE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Only {@code truncate} is terminal. */
    public boolean isTerminal() {
        return this == TRUNCATE;
    }
}
