package dev.tether.context.rlm;

import dev.tether.tool.ToolOutputs;
import dev.tether.tool.Utf8;

/**
 * The fallback of a routed output whose run did not converge (spec §7.4): smart truncation sized to the storage cap
 * of a tool result ({@link ToolOutputs#STORED_BODY_BYTES}, §4.4).
 */
final class SmartTruncation {

    private static final long CAP = ToolOutputs.STORED_BODY_BYTES;

    private SmartTruncation() {
    }

    /**
     * The first 60 % of the cap (cut at a line boundary), a marker, the last 30 % (starting at a line boundary).
     * Outputs within the cap are returned unchanged.
     */
    static String apply(String output, String tool) {
        long total = Utf8.bytes(output);
        if (total <= CAP) {
            return output;
        }
        String head = Utf8.prefix(output, CAP * 60 / 100);
        int nl = head.lastIndexOf('\n');
        if (nl > 0) {
            head = head.substring(0, nl + 1);
        }
        String tail = Utf8.suffix(output, CAP * 30 / 100);
        int tnl = tail.indexOf('\n');
        if (tnl >= 0 && tnl + 1 < tail.length()) {
            tail = tail.substring(tnl + 1);
        }
        long kept = Utf8.bytes(head) + Utf8.bytes(tail);
        String sepBefore = head.endsWith("\n") ? "" : "\n";
        return head + sepBefore + "[… middle of " + tool + " output omitted: kept " + kept + " of " + total
                + " bytes …]\n" + tail;
    }
}
