package dev.tether.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Scripts the {@link FakeLlmServer} by the kind of call a request is, so that a whole turn (title, loop steps,
 * compaction summaries, RLM root iterations and sub-calls) can be scripted independently of the order in which the
 * service makes its auxiliary calls. Per kind: queued replies first, then that kind's fallback function. Titles answer
 * {@code Scripted title} and summaries a fixed briefing unless scripted otherwise; other kinds have no fallback
 * (the server then answers 418, a fatal error, so a test fails fast).
 */
public final class RoutedLlm {

    /** What a request to the model is for, recognised from its body. */
    public enum Kind { TITLE, SUMMARY, RLM_ROOT, RLM_SUBCALL, LOOP }

    /** The default text of a compaction summary. */
    public static final String SUMMARY_TEXT = "The user is refactoring the date parser; tests pass.";

    private static final int TITLE_MAX_TOKENS = 24;
    private static final String SUMMARY_MARK = "You condense the earlier part of a coding-agent session";
    private static final String SUBCALL_MARK = "Answer the question about the content below.";

    private final FakeLlmServer server;
    private final Map<Kind, ConcurrentLinkedQueue<Reply>> queues = new EnumMap<>(Kind.class);
    private final Map<Kind, Function<RecordedRequest, Reply>> fallbacks = new EnumMap<>(Kind.class);

    /** Resets the server (scripts and recordings) and takes over its responder. */
    public RoutedLlm(FakeLlmServer server) {
        this.server = server;
        for (Kind k : Kind.values()) {
            queues.put(k, new ConcurrentLinkedQueue<>());
        }
        fallbacks.put(Kind.TITLE, r -> Reply.text("Scripted title"));
        fallbacks.put(Kind.SUMMARY, r -> Reply.text(SUMMARY_TEXT));
        server.reset();
        server.responder(r -> {
            Kind kind = kind(r);
            Reply next = queues.get(kind).poll();
            if (next != null) {
                return next;
            }
            Function<RecordedRequest, Reply> f = fallbacks.get(kind);
            return f == null ? null : f.apply(r);
        });
    }

    /** Queues replies for calls of {@code kind}, served in order. */
    public RoutedLlm script(Kind kind, Reply... replies) {
        queues.get(kind).addAll(List.of(replies));
        return this;
    }

    /** Answers every call of {@code kind} (once its queue is empty) with a fresh reply from {@code f}. */
    public RoutedLlm always(Kind kind, Function<RecordedRequest, Reply> f) {
        fallbacks.put(kind, f);
        return this;
    }

    /** The requests of {@code kind} received so far, in arrival order. */
    public List<RecordedRequest> requests(Kind kind) {
        return server.requests().stream().filter(r -> kind(r) == kind).collect(Collectors.toList());
    }

    /** Classifies a request: title (max_tokens 24), summary (its instruction), RLM root (offers rlm_lines), sub-call. */
    public static Kind kind(RecordedRequest r) {
        Integer max = r.maxTokens();
        if (max != null && max == TITLE_MAX_TOKENS) {
            return Kind.TITLE;
        }
        if (r.body().contains(SUMMARY_MARK)) {
            return Kind.SUMMARY;
        }
        if (r.json() != null) {
            for (JsonNode tool : r.json().path("tools")) {
                String name = tool.path("function").path("name").asText(tool.path("name").asText(""));
                if (name.equals("rlm_lines")) {
                    return Kind.RLM_ROOT;
                }
            }
        }
        if (r.lastMessageText().startsWith(SUBCALL_MARK)) {
            return Kind.RLM_SUBCALL;
        }
        return Kind.LOOP;
    }

    /** The text of one wire message (string content, or its text/content parts joined). */
    public static String text(JsonNode message) {
        JsonNode content = message.path("content");
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("text").isTextual()) {
                sb.append(part.path("text").asText());
            } else if (part.path("content").isTextual()) {
                sb.append(part.path("content").asText());
            }
        }
        return sb.toString();
    }
}
