package dev.tether.tool;

import java.util.List;

/**
 * Tool output of one item per line (spec §4.6): at most a limit of items, then {@code … <N> more <what>}; never a
 * final newline.
 */
final class OutputLines {

    private OutputLines() {
    }

    /** The first {@code limit} of {@code items}, and how many more there are. */
    static String capped(List<String> items, int limit, String what) {
        int shown = Math.min(limit, items.size());
        return of(items.subList(0, shown), items.size() - shown, what);
    }

    /** {@code shown}, one per line, then {@code … <more> more <what>} when {@code more > 0}. */
    static String of(List<String> shown, long more, String what) {
        StringBuilder out = new StringBuilder();
        for (String line : shown) {
            out.append(line).append('\n');
        }
        if (more > 0) {
            out.append("… ").append(more).append(" more ").append(what).append('\n');
        }
        return withoutFinalNewline(out);
    }

    static String withoutFinalNewline(StringBuilder sb) {
        if (sb.length() > 0 && sb.charAt(sb.length() - 1) == '\n') {
            sb.setLength(sb.length() - 1);
        }
        return sb.toString();
    }
}
