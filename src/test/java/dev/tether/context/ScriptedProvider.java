package dev.tether.context;

import dev.tether.provider.CompletionRequest;
import dev.tether.provider.CompletionResponse;
import dev.tether.provider.FinishReason;
import dev.tether.provider.Provider;
import dev.tether.provider.ProviderException;
import dev.tether.provider.StreamChunk;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.Role;
import dev.tether.session.Usage;
import io.smallrye.mutiny.Multi;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** An in-JVM provider whose answers come from a script; it records every request it receives. */
public final class ScriptedProvider implements Provider {

    public final List<CompletionRequest> requests = new CopyOnWriteArrayList<>();
    private final String name;
    private final Function<CompletionRequest, CompletionResponse> script;

    public ScriptedProvider(String name, Function<CompletionRequest, CompletionResponse> script) {
        this.name = name;
        this.script = script;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isConfigured() {
        return true;
    }

    @Override
    public String defaultModel() {
        return "gpt-4o";
    }

    @Override
    public Multi<StreamChunk> stream(CompletionRequest request) {
        throw new UnsupportedOperationException("auxiliary calls are non-streaming");
    }

    @Override
    public CompletionResponse complete(CompletionRequest request) {
        requests.add(request);
        return script.apply(request);
    }

    public static CompletionResponse text(String text) {
        return new CompletionResponse(Message.assistantText(text), Usage.of(100, 10, null, null), FinishReason.STOP);
    }

    public static CompletionResponse toolCall(String id, String name, String arguments) {
        return new CompletionResponse(Message.of(Role.ASSISTANT, new ContentPart.ToolCall(id, name, arguments)),
                Usage.of(100, 10, null, null), FinishReason.TOOL_CALLS);
    }

    public static ProviderException unavailable() {
        return new ProviderException(ProviderException.Kind.RETRYABLE, 503, null, "provider returned 503", null, null);
    }
}
