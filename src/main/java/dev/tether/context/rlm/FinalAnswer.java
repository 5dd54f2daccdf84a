package dev.tether.context.rlm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import java.util.Optional;

/** Detects an RLM final answer (spec §7.3): a {@code FINAL} tool call, or {@code FINAL("…")} in three quote styles. */
final class FinalAnswer {

    static final String TOOL = "FINAL";

    private FinalAnswer() {
    }

    /** The final answer of a root-model reply, if it has one (tool call first, then text); {@code json} parses it. */
    static Optional<String> of(ObjectMapper json, Message reply) {
        for (ContentPart.ToolCall call : reply.toolCalls()) {
            if (TOOL.equalsIgnoreCase(call.name())) {
                return Optional.of(argument(json, call.arguments()));
            }
        }
        return inText(reply.text());
    }

    /**
     * {@code FINAL("…")}, {@code FINAL('…')} or {@code FINAL(`…`)}: the content between the opening quote and the
     * last matching {@code quote)}, so quotes inside the answer survive.
     */
    static Optional<String> inText(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int at = text.indexOf("FINAL(");
        while (at >= 0) {
            int i = at + "FINAL(".length();
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i < text.length()) {
                char q = text.charAt(i);
                if (q == '"' || q == '\'' || q == '`') {
                    int end = lastClose(text, q, i + 1);
                    if (end > i) {
                        String content = text.substring(i + 1, end);
                        if (q != '`') {
                            content = content.replace("\\" + q, String.valueOf(q));
                        }
                        return Optional.of(content);
                    }
                }
            }
            at = text.indexOf("FINAL(", at + 1);
        }
        return Optional.empty();
    }

    /** The answer with a {@code FINAL(...)} wrapper removed if the whole reply is one. */
    static String unwrap(String reply) {
        String t = reply.strip();
        if (t.startsWith("FINAL(")) {
            return inText(t).orElse(t);
        }
        return t;
    }

    private static int lastClose(String text, char q, int from) {
        for (int j = text.length() - 2; j >= from; j--) {
            if (text.charAt(j) == q) {
                int k = j + 1;
                while (k < text.length() && Character.isWhitespace(text.charAt(k))) {
                    k++;
                }
                if (k < text.length() && text.charAt(k) == ')') {
                    return j;
                }
            }
        }
        return -1;
    }

    private static String argument(ObjectMapper json, String arguments) {
        try {
            JsonNode node = json.readTree(arguments);
            if (node != null && node.isObject() && node.has("answer")) {
                JsonNode a = node.get("answer");
                return a.isTextual() ? a.asText() : a.toString();
            }
        } catch (Exception e) {
            // not JSON: the raw arguments are the answer
        }
        return arguments;
    }
}
