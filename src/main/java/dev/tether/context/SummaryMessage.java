package dev.tether.context;

import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.Role;
import dev.tether.tool.Utf8;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the summary message that replaces a compacted prefix (spec §6.6), and the flattened text of a prefix that
 * the summary is made from.
 */
public final class SummaryMessage {

    /** Summary text limit in tokens (the summary call's {@code max_tokens}). */
    public static final long MAX_SUMMARY_TOKENS = 4096;
    static final int MAX_INDEX_ENTRIES = 10;
    static final int MAX_INDEX_CHARS = 70;
    static final String HEADER = "[CONTEXT SUMMARY]";

    private SummaryMessage() {
    }

    /**
     * The summary message for transcript prefix {@code [0, s)}: a user message with one text part holding the header,
     * the summary text (cut to 4096 tokens) and the {@code [DROPPED USER TURNS]} index.
     */
    public static Message build(List<Message> transcript, int s, String summaryText) {
        StringBuilder sb = new StringBuilder();
        sb.append(HEADER).append('\n')
                .append("Messages 0–").append(s - 1).append(" of this session were condensed to fit the model's context window.\n")
                .append("The messages after this summary are verbatim.\n\n")
                .append(limit(summaryText == null ? "" : summaryText.strip(), MAX_SUMMARY_TOKENS));
        List<String> entries = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < s && i < transcript.size(); i++) {
            Message m = transcript.get(i);
            if (m.role() != Role.USER) {
                continue;
            }
            String line = firstNonEmptyLine(m);
            if (line == null) {
                continue;
            }
            total++;
            if (entries.size() < MAX_INDEX_ENTRIES) {
                entries.add("- #" + i + ": " + cut(line));
            }
        }
        if (total > 0) {
            sb.append("\n\n[DROPPED USER TURNS]");
            for (String e : entries) {
                sb.append('\n').append(e);
            }
            if (total > entries.size()) {
                sb.append("\n- … and ").append(total - entries.size()).append(" more");
            }
        }
        return Message.of(Role.USER, new ContentPart.Text(sb.toString()));
    }

    /** Whether a message is a summary message made by {@link #build}. */
    public static boolean isSummary(Message m) {
        return m.role() == Role.USER && m.firstText().map(t -> t.startsWith(HEADER)).orElse(false);
    }

    /** Cuts a text deterministically so that its estimate is at most {@code maxTokens}. */
    public static String limit(String text, long maxTokens) {
        String t = text;
        while (TokenEstimator.estimate(t) > maxTokens) {
            long bytes = Utf8.bytes(t);
            long target = Math.max(0, Math.min(bytes - 1, bytes * maxTokens / TokenEstimator.estimate(t)));
            t = Utf8.prefix(t, target);
        }
        return t;
    }

    private static String firstNonEmptyLine(Message m) {
        for (ContentPart p : m.content()) {
            if (p instanceof ContentPart.Text t) {
                for (String line : t.text().split("\\R")) {
                    if (!line.isBlank()) {
                        return line.strip();
                    }
                }
            }
        }
        return null;
    }

    private static String cut(String line) {
        if (line.codePointCount(0, line.length()) <= MAX_INDEX_CHARS) {
            return line;
        }
        return line.substring(0, line.offsetByCodePoints(0, MAX_INDEX_CHARS - 1)) + "…";
    }

    /**
     * Flattens messages to text (§6.6): a header line {@code === message <i> (<role>) ===} per message, then its
     * parts. {@code offset} is the transcript index of the first message.
     */
    public static String flatten(List<Message> messages, int offset) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < messages.size(); i++) {
            if (i > 0) {
                sb.append('\n');
            }
            sb.append(flattenOne(messages.get(i), offset + i));
        }
        return sb.toString();
    }

    /** One message flattened (a chunk of §6.7 when a prefix is chunk-compressed). */
    static String flattenOne(Message m, int index) {
        StringBuilder sb = new StringBuilder();
        sb.append("=== message ").append(index).append(" (").append(m.role().wireName()).append(") ===");
        for (ContentPart p : m.content()) {
            sb.append('\n');
            if (p instanceof ContentPart.Text t) {
                sb.append(t.text());
            } else if (p instanceof ContentPart.ToolCall c) {
                sb.append("[tool call ").append(c.id()).append(" · ").append(c.name()).append("] ").append(c.arguments());
            } else if (p instanceof ContentPart.ToolResult r) {
                sb.append("[tool result ").append(r.toolCallId()).append("]\n").append(r.content());
            } else if (p instanceof ContentPart.Image img) {
                sb.append("[image ").append(img.mimeType() == null ? "unknown" : img.mimeType()).append(']');
            } else if (p instanceof ContentPart.File f) {
                sb.append("[file ").append(f.path()).append(']');
            } else if (p instanceof ContentPart.Thinking th) {
                sb.append("[thinking]\n").append(th.text());
            }
        }
        return sb.toString();
    }

    /** The prefix as chunk-compression segments, one per message. */
    static List<ChunkCompressor.Segment> segments(List<Message> messages, int offset) {
        List<ChunkCompressor.Segment> out = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            out.add(new ChunkCompressor.Segment(flattenOne(m, offset + i), m.role() == Role.USER));
        }
        return out;
    }
}
