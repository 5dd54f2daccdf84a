package dev.tether.context;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.provider.ToolDefinition;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.tool.Utf8;
import java.util.List;

/**
 * The token estimate of spec §6.1; there is no tokenizer. Every string is estimated on its own as
 * {@code ceil(utf8_bytes / k)} with {@code k} chosen by the string's whitespace ratio, and the results are summed.
 */
public final class TokenEstimator {

    /** Estimate of an {@code image} part. */
    public static final long IMAGE_TOKENS = 2000;

    /** The classes of {@code List.of(…)} and {@code Stream.toList()}, lists nobody can change. */
    private static final Class<?> IMMUTABLE_LIST = List.of(1, 2, 3).getClass();
    private static final Class<?> IMMUTABLE_LIST_12 = List.of(1).getClass();

    /** A tool list and its estimate. */
    private record ToolsEstimate(List<ToolDefinition> tools, long tokens) {
    }

    private static volatile ToolsEstimate lastTools;

    private TokenEstimator() {
    }

    /** Estimate of one string: 0 when empty, else {@code ceil(bytes / k)}. */
    public static long estimate(String s) {
        if (s == null || s.isEmpty()) {
            return 0;
        }
        long chars = 0;
        long whitespace = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            chars++;
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                whitespace++;
            }
        }
        double w = (double) whitespace / chars;
        double k = w < 0.05 ? 2.8 : w < 0.10 ? 3.2 : w < 0.20 ? 3.6 : 4.0;
        return (long) Math.ceil(Utf8.bytes(s) / k);
    }

    /** Estimate of one part. */
    public static long estimate(ContentPart part) {
        // Java 17: no pattern switch, so an instanceof chain over the closed set
        if (part instanceof ContentPart.Text t) {
            return estimate(t.text());
        } else if (part instanceof ContentPart.Image) {
            return IMAGE_TOKENS;
        } else if (part instanceof ContentPart.File f) {
            return estimate(f.path());
        } else if (part instanceof ContentPart.ToolCall c) {
            return estimate(c.id()) + estimate(c.name()) + estimate(c.arguments());
        } else if (part instanceof ContentPart.ToolResult r) {
            return estimate(r.toolCallId()) + estimate(r.content());
        } else if (part instanceof ContentPart.Thinking t) {
            return estimate(t.text()) + estimate(t.signature());
        }
        throw new IllegalArgumentException("unknown part " + part);
    }

    /** Estimate of a message: the sum over its parts. */
    public static long estimate(Message message) {
        long n = 0;
        for (ContentPart part : message.content()) {
            n += estimate(part);
        }
        return n;
    }

    /** Estimate of a message list. */
    public static long estimateMessages(List<Message> messages) {
        long n = 0;
        for (Message m : messages) {
            n += estimate(m);
        }
        return n;
    }

    /** Estimate of the text parts of a message only (the oversized-last-message rule, §6.5). */
    public static long estimateText(Message message) {
        long n = 0;
        for (ContentPart part : message.content()) {
            if (part instanceof ContentPart.Text t) {
                n += estimate(t.text());
            }
        }
        return n;
    }

    /** Estimate of one tool definition: the JSON serialization of {@code {name, description, parameters}}. */
    public static long estimate(ToolDefinition tool) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("name", tool.name());
        node.put("description", tool.description());
        node.set("parameters", tool.parameters());
        return estimate(node.toString()); // a tree's toString is its compact JSON
    }

    /**
     * Estimate of the tool definitions of a request. The turns pass one list, built once, with every request (and the
     * context manager estimates each request more than once): the estimate of the list last seen is kept, so its
     * schemas are serialised once, not per request.
     */
    public static long estimateTools(List<ToolDefinition> tools) {
        if (tools == null) {
            return 0;
        }
        ToolsEstimate last = lastTools;
        if (last != null && last.tools() == tools) {
            return last.tokens();
        }
        long n = 0;
        for (ToolDefinition t : tools) {
            n += estimate(t);
        }
        if (isImmutable(tools)) { // a list that may still change cannot be remembered by identity
            lastTools = new ToolsEstimate(tools, n);
        }
        return n;
    }

    private static boolean isImmutable(List<ToolDefinition> tools) {
        return tools.getClass() == IMMUTABLE_LIST || tools.getClass() == IMMUTABLE_LIST_12;
    }

    /** Request estimate: system prompt + messages + tool definitions. */
    public static long estimateRequest(String systemPrompt, List<Message> messages, List<ToolDefinition> tools) {
        return estimate(systemPrompt) + estimateMessages(messages) + estimateTools(tools);
    }
}
