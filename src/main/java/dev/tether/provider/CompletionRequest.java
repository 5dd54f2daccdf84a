package dev.tether.provider;

import dev.tether.session.Message;
import java.util.List;

/**
 * One request to a model (spec §11.2). {@code messages} starts with the system message when there is one;
 * {@code model} is the provider's own model id (without the {@code provider/} prefix). Optional numbers are null
 * when not sent.
 */
public record CompletionRequest(String model, List<Message> messages, List<ToolDefinition> tools, Double temperature,
                                Double topP, Integer maxTokens, List<String> stop) {
    public CompletionRequest {
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
        stop = stop == null ? List.of() : List.copyOf(stop);
    }
}
