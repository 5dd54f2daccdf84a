package dev.tether.context;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.provider.ToolDefinition;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.Role;
import dev.tether.tool.Utf8;
import java.util.ArrayList;
import java.util.List;

/**
 * Terminal truncation (spec §6.8), the last resort of a compaction: keep the active tail (keep-last 4), drop the
 * prefix without a summary, then shrink string payloads through caps of 256 … 2 KiB (the active request's text keeps
 * at least 16 KiB), then an emergency cap of 1 KiB on everything. Never cached.
 */
public final class TerminalTruncation {

    static final int KEEP_LAST = 4;
    static final long[] CAPS = {256 * 1024, 128 * 1024, 64 * 1024, 32 * 1024, 16 * 1024, 8 * 1024, 4 * 1024, 2 * 1024};
    static final long ACTIVE_FLOOR = 16 * 1024;
    static final long EMERGENCY_CAP = 1024;
    static final String MARKER = "[CONTEXT TRUNCATED]";


    /**
     * @param messages      the derived context (marker first when one was added)
     * @param requestTokens its request estimate (system prompt and tools included)
     * @param fits          whether it fits the budget
     */
    public record Result(List<Message> messages, long requestTokens, boolean fits) {
    }

    private TerminalTruncation() {
    }

    /** Truncates {@code transcript} to fit {@code budget} if it can; the result is sent either way. */
    public static Result truncate(List<Message> transcript, long window, long budget, String systemPrompt,
                                  List<ToolDefinition> tools) {
        int active = ActiveRequest.indexOf(transcript);
        int s = Compaction.splitPoint(transcript.size(), active, KEEP_LAST);
        List<Message> tail = Reductions.apply(transcript.subList(s, transcript.size()), window);
        int activeInTail = ActiveRequest.indexOf(tail);
        boolean dropped = s > 0;

        List<Message> candidate = PairingRepair.repair(tail);
        Result r = measure(candidate, dropped, false, systemPrompt, tools, budget);
        if (r.fits()) {
            return r;
        }
        for (long cap : CAPS) {
            candidate = PairingRepair.repair(shrinkAll(tail, cap, activeInTail, Math.max(cap, ACTIVE_FLOOR)));
            r = measure(candidate, dropped, true, systemPrompt, tools, budget);
            if (r.fits()) {
                return r;
            }
        }
        candidate = PairingRepair.repair(shrinkAll(tail, EMERGENCY_CAP, activeInTail, EMERGENCY_CAP));
        return measure(candidate, dropped, true, systemPrompt, tools, budget);
    }

    private static Result measure(List<Message> messages, boolean dropped, boolean shrunk, String systemPrompt,
                                  List<ToolDefinition> tools, long budget) {
        List<Message> out = messages;
        if (dropped || shrunk) {
            StringBuilder sb = new StringBuilder(MARKER);
            if (dropped) {
                sb.append(" Earlier messages of this session were dropped without a summary to fit the model's "
                        + "context window.");
            }
            if (shrunk) {
                sb.append(" Long contents below were shortened to fit the context window; removed parts are marked.");
            }
            out = new ArrayList<>(messages.size() + 1);
            out.add(Message.userText(sb.toString()));
            out.addAll(messages);
            out = List.copyOf(out);
        }
        long tokens = TokenEstimator.estimateRequest(systemPrompt, out, tools);
        return new Result(out, tokens, tokens <= budget);
    }

    /** Applies {@code cap} to every string payload; the active request's text parts use {@code activeCap}. */
    static List<Message> shrinkAll(List<Message> messages, long cap, int activeIndex, long activeCap) {
        List<Message> out = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            List<ContentPart> parts = new ArrayList<>(m.content().size());
            for (ContentPart p : m.content()) {
                parts.add(shrink(p, i == activeIndex ? activeCap : cap, cap));
            }
            out.add(new Message(m.role(), parts));
        }
        return out;
    }

    private static ContentPart shrink(ContentPart p, long textCap, long cap) {
        if (p instanceof ContentPart.Text t) {
            return new ContentPart.Text(shrink(t.text(), textCap, "text"));
        } else if (p instanceof ContentPart.ToolResult r) {
            return new ContentPart.ToolResult(r.toolCallId(), shrink(r.content(), cap, "tool result"));
        } else if (p instanceof ContentPart.Thinking th) {
            return new ContentPart.Thinking(shrink(th.text(), cap, "thinking"), th.signature());
        } else if (p instanceof ContentPart.ToolCall c && Utf8.bytes(c.arguments()) > cap) {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("truncated_arguments", shrink(c.arguments(), cap, "tool call arguments"));
            node.put("original_bytes", Utf8.bytes(c.arguments()));
            return new ContentPart.ToolCall(c.id(), c.name(), node.toString()); // a tree's toString is its compact JSON
        }
        return p; // images and files are untouched
    }

    /**
     * Keeps the first and last half of {@code cap} bytes (UTF-8 safe) with
     * {@code [… <N> bytes of <label> removed to fit the context window …]} between.
     */
    static String shrink(String s, long cap, String label) {
        long bytes = Utf8.bytes(s);
        if (bytes <= cap) {
            return s;
        }
        String head = Utf8.prefix(s, cap / 2);
        String tail = Utf8.suffix(s.substring(head.length()), cap / 2);
        long removed = bytes - Utf8.bytes(head) - Utf8.bytes(tail);
        return head + "\n[… " + removed + " bytes of " + label + " removed to fit the context window …]\n" + tail;
    }

    /** Whether a message is the marker added by terminal truncation. */
    public static boolean isMarker(Message m) {
        return m.role() == Role.USER && m.firstText().map(t -> t.startsWith(MARKER)).orElse(false);
    }
}
