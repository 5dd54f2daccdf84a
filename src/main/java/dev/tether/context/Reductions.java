package dev.tether.context;

import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.Role;
import dev.tether.tool.Utf8;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The deterministic, model-free size rules of spec §6.5: the oversized-last-message rule and the three conservative
 * reductions. The conservative reductions never touch the active user request or anything after it.
 */
public final class Reductions {

    /** The last message is oversized above this fraction of the window. */
    static final double OVERSIZED_FRACTION = 0.35;
    static final int KEEP_THINKING_LAST = 4;
    static final int KEEP_DUPLICATES_LAST = 8;
    static final int KEEP_WHITESPACE_LAST = 6;
    static final long DUPLICATE_MIN_BYTES = 256;

    private Reductions() {
    }

    /** Both rules: the oversized last message, then the conservative reductions before the active request. */
    public static List<Message> apply(List<Message> messages, long window) {
        List<Message> out = oversizedLastMessage(messages, window);
        return conservative(out, ActiveRequest.indexOf(out));
    }

    /**
     * If the last message's text estimate exceeds 35 % of the window, its text is replaced by its chunk compression
     * to 35 % of the window, preceded by {@code [message compressed: original ≈<N> tokens]}. Other parts stay.
     */
    public static List<Message> oversizedLastMessage(List<Message> messages, long window) {
        if (messages.isEmpty()) {
            return messages;
        }
        Message last = messages.get(messages.size() - 1);
        long textTokens = TokenEstimator.estimateText(last);
        long limit = (long) Math.floor(window * OVERSIZED_FRACTION);
        if (textTokens <= limit) {
            return messages;
        }
        String compressed = "[message compressed: original ≈" + textTokens + " tokens]\n"
                + ChunkCompressor.compress(List.of(new ChunkCompressor.Segment(last.text(), last.role() == Role.USER)),
                limit);
        List<ContentPart> parts = new ArrayList<>();
        boolean placed = false;
        for (ContentPart p : last.content()) {
            if (p instanceof ContentPart.Text) {
                if (!placed) {
                    parts.add(new ContentPart.Text(compressed));
                    placed = true;
                }
            } else {
                parts.add(p);
            }
        }
        List<Message> out = new ArrayList<>(messages);
        out.set(out.size() - 1, new Message(last.role(), parts));
        return out;
    }

    /**
     * The conservative reductions, applied only to messages before {@code activeIndex} ({@code -1}: no active
     * request, so every message is eligible): thinking removed outside the last 4 messages; repeated tool results of
     * at least 256 bytes outside the last 8 replaced by a reference; assistant text outside the last 6
     * whitespace-compacted outside fenced code blocks.
     */
    public static List<Message> conservative(List<Message> messages, int activeIndex) {
        int n = messages.size();
        int limit = activeIndex < 0 ? n : activeIndex;
        Map<String, String> firstIdByContent = new HashMap<>();
        List<Message> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Message m = messages.get(i);
            boolean eligible = i < limit;
            boolean dropThinking = eligible && i < n - KEEP_THINKING_LAST;
            boolean dedupe = eligible && i < n - KEEP_DUPLICATES_LAST;
            boolean compactWs = eligible && i < n - KEEP_WHITESPACE_LAST && m.role() == Role.ASSISTANT;
            List<ContentPart> parts = new ArrayList<>(m.content().size());
            boolean changed = false;
            for (ContentPart p : m.content()) {
                if (p instanceof ContentPart.Thinking && dropThinking) {
                    changed = true;
                    continue;
                }
                if (p instanceof ContentPart.ToolResult r) {
                    String first = Utf8.bytes(r.content()) >= DUPLICATE_MIN_BYTES
                            ? firstIdByContent.putIfAbsent(r.content(), r.toolCallId()) : null;
                    if (first != null && dedupe) {
                        parts.add(new ContentPart.ToolResult(r.toolCallId(), "[same output as tool call " + first + "]"));
                        changed = true;
                        continue;
                    }
                }
                if (p instanceof ContentPart.Text t && compactWs) {
                    String compacted = compactWhitespace(t.text());
                    if (!compacted.equals(t.text())) {
                        parts.add(new ContentPart.Text(compacted));
                        changed = true;
                        continue;
                    }
                }
                parts.add(p);
            }
            if (!changed) {
                out.add(m);
            } else if (!parts.isEmpty()) {
                out.add(new Message(m.role(), parts));
            }
        }
        return out;
    }

    /**
     * Outside fenced code blocks: trailing spaces removed, runs of spaces/tabs collapsed to one, 3+ newlines to 2.
     * Lines inside a fence (between lines starting with three backticks) are kept exactly.
     */
    static String compactWhitespace(String text) {
        String[] lines = text.split("\n", -1);
        StringBuilder sb = new StringBuilder(text.length());
        boolean fenced = false;
        int blankRun = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            boolean fenceLine = line.stripLeading().startsWith("```");
            String out;
            if (fenced && !fenceLine) {
                out = line;
                blankRun = 0;
            } else {
                out = line.replaceAll("[ \\t]+", " ").replaceAll(" +$", "");
                if (out.isEmpty()) {
                    blankRun++;
                    if (blankRun > 1) {
                        continue;
                    }
                } else {
                    blankRun = 0;
                }
            }
            if (fenceLine) {
                fenced = !fenced;
            }
            if (i > 0) {
                sb.append('\n');
            }
            sb.append(out);
        }
        return sb.toString();
    }
}
