package dev.tether.context;

import dev.tether.config.TetherConfig;
import dev.tether.session.ContextPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Context windows and budgets (spec §6.2). The window comes from a case-insensitive substring of the model id (the
 * part after {@code provider/}); configured overrides ({@code tether.context.windows}) take precedence over the
 * built-in table, whose first matching row wins.
 */
@ApplicationScoped
public class ContextWindows {

    /** Window of a model that matches no row. */
    public static final long DEFAULT_WINDOW = 128_000;

    private static final List<Map.Entry<String, Long>> TABLE = List.of(
            Map.entry("gpt-4.1", 1_047_576L),
            Map.entry("gpt-4o", 128_000L),
            Map.entry("gpt-5", 256_000L),
            Map.entry("claude", 200_000L),
            Map.entry("gemini", 1_048_576L),
            Map.entry("kimi-k2", 262_144L),
            Map.entry("glm-5", 200_000L));

    private final List<Map.Entry<String, Long>> overrides;
    private final int maxTokens;

    @Inject
    public ContextWindows(TetherConfig config) {
        this(config.context().windows(), config.agent().maxTokens());
    }

    /**
     * @param overrides substring → window; a longer substring is tried before a shorter one, so that
     *                  {@code gpt-4o-mini} can override {@code gpt-4o} regardless of map order
     * @param maxTokens completion {@code max_tokens} of loop requests (the completion reserve)
     */
    public ContextWindows(Map<String, Integer> overrides, int maxTokens) {
        List<Map.Entry<String, Long>> list = new ArrayList<>();
        if (overrides != null) {
            overrides.forEach((k, v) -> list.add(Map.entry(k.toLowerCase(Locale.ROOT), v.longValue())));
        }
        list.sort(Comparator.comparingInt((Map.Entry<String, Long> e) -> -e.getKey().length())
                .thenComparing(Map.Entry::getKey));
        this.overrides = List.copyOf(list);
        this.maxTokens = maxTokens;
    }

    /** The model id of a selector: everything after the first {@code /}, or the whole value. */
    public static String modelId(String selector) {
        if (selector == null) {
            return "";
        }
        int slash = selector.indexOf('/');
        return slash < 0 ? selector : selector.substring(slash + 1);
    }

    /** Context window of a selector ({@code provider/model}) or bare model id. */
    public long window(String selector) {
        String id = modelId(selector).toLowerCase(Locale.ROOT);
        for (Map.Entry<String, Long> e : overrides) {
            if (id.contains(e.getKey())) {
                return e.getValue();
            }
        }
        for (Map.Entry<String, Long> e : TABLE) {
            if (id.contains(e.getKey())) {
                return e.getValue();
            }
        }
        return DEFAULT_WINDOW;
    }

    /** {@code floor((window − min(max_tokens, window/4) − 2048) × 0.9)}, never less than {@code window/4}. */
    public long usableBudget(long window) {
        long quarter = window / 4;
        long reserve = Math.min(maxTokens, quarter);
        long usable = Math.max(0, window - reserve - 2048) * 9 / 10;
        return Math.max(usable, quarter);
    }

    /** Usable budget of a selector's model. */
    public long usableBudgetOf(String selector) {
        return usableBudget(window(selector));
    }

    /**
     * Effective budget of a loop request: {@code budget_tokens > 0 ? min(budget_tokens, usable) : usable}, halved
     * (floor) for the rest of a turn after a prompt-too-long error.
     */
    public long effectiveBudget(String selector, ContextPolicy policy, boolean halved) {
        long usable = usableBudgetOf(selector);
        long budget = policy != null && policy.budgetTokens() > 0 ? Math.min(policy.budgetTokens(), usable) : usable;
        return halved ? budget / 2 : budget;
    }
}
