package dev.tether.provider.anthropic;

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
 * The Anthropic Messages API: {@code POST {base_url}/v1/messages} with {@code x-api-key} and
 * {@code anthropic-version: 2023-06-01}, streamed as named SSE events ending with {@code message_stop}, or as one JSON
 * answer through the REST client {@link AnthropicApi}. Stream chunks are emitted on a Vert.x event-loop thread: move
 * blocking work off it ({@code emitOn}).
 */
@Singleton // no client proxy: the shared HttpProvider base has no no-args constructor
@Identifier("anthropic")
public class AnthropicProvider extends HttpProvider<AnthropicApi> {

    public static final String NAME = "anthropic";
    public static final String BUILT_IN_DEFAULT_MODEL = "claude-sonnet-4-20250514";
    private static final UpstreamApi<AnthropicApi> MESSAGES_API = new UpstreamApi<>(NAME, BUILT_IN_DEFAULT_MODEL,
            "TETHER_PROVIDERS_ANTHROPIC_API_KEY or ANTHROPIC_API_KEY", AnthropicApi.class, "/v1/messages");

    static final String API_VERSION = "2023-06-01";

    @Inject
    public AnthropicProvider(TetherConfig config, Vertx vertx, ObjectMapper json) {
        super(MESSAGES_API, ProviderSettings.from(config.providers().anthropic()), vertx, json);
    }

    /** For tests and embedding: explicit settings on any Vert.x instance, the service's mapper ({@link Json#mapper()}). */
    public AnthropicProvider(ProviderSettings settings, Vertx vertx) {
        super(MESSAGES_API, settings, vertx, Json.mapper());
    }

    @Override
    protected JsonNode requestBody(CompletionRequest request, boolean stream) {
        return AnthropicWire.requestBody(json, request, settings, stream);
    }

    @Override
    protected StreamDecoder newDecoder() {
        return new AnthropicStreamDecoder(json, NAME);
    }

    @Override
    protected Predicate<SseEvent> endMarker() {
        return AnthropicStreamDecoder::isEndMarker;
    }

    @Override
    protected CompletionResponse response(JsonNode root) {
        return AnthropicWire.response(json, root);
    }

    /** The base URL without a version segment (tolerated when given): the API's path carries it. */
    @Override
    protected String apiBase() {
        String base = baseUrl();
        return base.endsWith("/v1") ? base.substring(0, base.length() - 3) : base;
    }

    @Override
    protected void addApiHeaders(Map<String, String> headers, String apiKey) {
        if (apiKey != null) {
            headers.put("x-api-key", apiKey);
        }
        headers.put("anthropic-version", API_VERSION);
    }
}
