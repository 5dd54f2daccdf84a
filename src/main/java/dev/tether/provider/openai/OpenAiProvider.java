package dev.tether.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.Json;
import dev.tether.config.TetherConfig;
import dev.tether.provider.CompletionRequest;
import dev.tether.provider.CompletionResponse;
import dev.tether.provider.ProviderSettings;
import dev.tether.provider.http.HttpProvider;
import dev.tether.provider.http.SseEvent;
import dev.tether.provider.http.StreamDecoder;
import dev.tether.provider.http.UpstreamApi;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Any OpenAI-compatible Chat Completions server (OpenAI, OpenRouter, vLLM, Ollama, llama.cpp, LM Studio, ...):
 * {@code POST {base_url}/chat/completions}, streamed as SSE ending with {@code data: [DONE]}, or as one JSON answer
 * through the REST client {@link OpenAiApi}. Stream chunks are emitted on a Vert.x event-loop thread: move blocking
 * work off it ({@code emitOn}).
 */
@Singleton // no client proxy: the shared HttpProvider base has no no-args constructor
@Identifier("openai")
public class OpenAiProvider extends HttpProvider<OpenAiApi> {

    public static final String NAME = "openai";
    public static final String BUILT_IN_DEFAULT_MODEL = "gpt-4o";
    private static final UpstreamApi<OpenAiApi> CHAT_COMPLETIONS_API = new UpstreamApi<>(NAME, BUILT_IN_DEFAULT_MODEL,
            "TETHER_PROVIDERS_OPENAI_API_KEY or OPENAI_API_KEY", OpenAiApi.class, "/chat/completions");

    @Inject
    public OpenAiProvider(TetherConfig config, Vertx vertx, ObjectMapper json) {
        super(CHAT_COMPLETIONS_API, ProviderSettings.from(config.providers().openai()), vertx, json);
    }

    /** For tests and embedding: explicit settings on any Vert.x instance, the service's mapper ({@link Json#mapper()}). */
    public OpenAiProvider(ProviderSettings settings, Vertx vertx) {
        super(CHAT_COMPLETIONS_API, settings, vertx, Json.mapper());
    }

    @Override
    protected JsonNode requestBody(CompletionRequest request, boolean stream) {
        return OpenAiWire.requestBody(json, request, settings, stream);
    }

    @Override
    protected StreamDecoder newDecoder() {
        return new OpenAiStreamDecoder(json, NAME);
    }

    @Override
    protected Predicate<SseEvent> endMarker() {
        return e -> e.data() != null && e.data().strip().equals(OpenAiStreamDecoder.DONE_MARKER);
    }

    @Override
    protected CompletionResponse response(JsonNode root) {
        return OpenAiWire.response(root);
    }

    @Override
    protected void addApiHeaders(Map<String, String> headers, String apiKey) {
        if (apiKey != null) {
            headers.put("authorization", "Bearer " + apiKey);
        }
    }
}
