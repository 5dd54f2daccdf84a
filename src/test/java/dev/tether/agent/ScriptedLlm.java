package dev.tether.agent;

import dev.tether.testing.FakeLlmServer;
import dev.tether.testing.RecordedRequest;
import dev.tether.testing.Reply;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * Scripts the fake LLM for whole turns: title calls (max_tokens 24) get a fixed title, loop calls take the next
 * scripted reply in order.
 */
final class ScriptedLlm {

    static final int TITLE_MAX_TOKENS = 24;

    private final FakeLlmServer server;
    private final ConcurrentLinkedQueue<Reply> loop = new ConcurrentLinkedQueue<>();

    ScriptedLlm(FakeLlmServer server) {
        this.server = server;
        server.reset();
        server.responder(r -> isTitle(r) ? Reply.text("Scripted title") : loop.poll());
    }

    ScriptedLlm loop(Reply... replies) {
        loop.addAll(List.of(replies));
        return this;
    }

    static boolean isTitle(RecordedRequest r) {
        Integer max = r.maxTokens();
        return max != null && max == TITLE_MAX_TOKENS;
    }

    List<RecordedRequest> loopRequests() {
        return server.requests().stream().filter(r -> !isTitle(r)).collect(Collectors.toList());
    }
}
