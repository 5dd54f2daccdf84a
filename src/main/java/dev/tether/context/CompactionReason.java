package dev.tether.context;

import java.util.Locale;

/** Why a compaction ran (spec §6.9). */
public enum CompactionReason {
    /** The derived context exceeded the effective budget. */
    CONTEXT_BUDGET,
    /** The provider rejected the request as too long (§3.7). */
    PROMPT_TOO_LONG,
    /** Requested through the API ({@code POST /compact}). */
    MANUAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
