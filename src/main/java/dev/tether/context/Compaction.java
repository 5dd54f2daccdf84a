package dev.tether.context;

import java.util.List;

/** Constants and the split-point rule of the keep-last cascade (spec §6.6). */
public final class Compaction {

    /** The keep-last cascade of a budget compaction. */
    public static final List<Integer> CASCADE = List.of(16, 12, 8, 6, 3, 1);
    /** {@code keep_last} of a manual compaction. */
    public static final int MANUAL_KEEP_LAST = 16;
    /** {@code keep_last} values of prompt-too-long attempts 2, 3 and 4 (§3.7). */
    public static final List<Integer> PROMPT_TOO_LONG_KEEP_LAST = List.of(6, 3, 1);

    private Compaction() {
    }

    /**
     * {@code s = min(active, len − keepLast)} ({@code len − keepLast} without an active request), never below 0:
     * the active request and everything after it always stay verbatim.
     */
    public static int splitPoint(int len, int activeIndex, int keepLast) {
        int s = len - keepLast;
        if (activeIndex >= 0) {
            s = Math.min(activeIndex, s);
        }
        return Math.max(0, s);
    }
}
