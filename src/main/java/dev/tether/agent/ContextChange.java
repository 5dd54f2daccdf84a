package dev.tether.agent;

/**
 * Why the context-change hook (§8.4) runs, as the {@code reason} of its {@code context_changed} event, and what each
 * reason makes it do beyond bumping {@code updated_at}.
 */
public enum ContextChange {

    /**
     * A Codex import replaced the history. The import derived the title from the new history (thread name, else
     * heuristic), and {@code updated_at} is the rollout's, so the §10.5 persist rule keeps comparing rollout times.
     */
    IMPORT("import", true, false),
    /** A compaction was committed (cached). The commit itself replaced the cache, so it is not dropped. */
    COMPACTION("compaction", false, false),
    /** The workspace directory changed: the system prompt and every tool path change with it. */
    DIRECTORY("directory", true, false),
    /** The user cleared the title: the heuristic title of the transcript replaces it (null without a source). */
    TITLE_CLEARED("title_cleared", true, true);

    private final String wireName;
    private final boolean dropsCachedCompaction;
    private final boolean regeneratesTitle;

    ContextChange(String wireName, boolean dropsCachedCompaction, boolean regeneratesTitle) {
        this.wireName = wireName;
        this.dropsCachedCompaction = dropsCachedCompaction;
        this.regeneratesTitle = regeneratesTitle;
    }

    public String wireName() {
        return wireName;
    }

    boolean dropsCachedCompaction() {
        return dropsCachedCompaction;
    }

    boolean regeneratesTitle() {
        return regeneratesTitle;
    }
}
