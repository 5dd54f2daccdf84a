package dev.tether.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.TetherConfig;
import dev.tether.provider.CompletionRequest;
import dev.tether.provider.CompletionResponse;
import dev.tether.provider.Provider;
import dev.tether.provider.ProviderErrors;
import dev.tether.provider.ProviderException;
import dev.tether.provider.ProviderSettings;
import dev.tether.provider.StreamChunk;
import dev.tether.provider.http.ProviderHttp;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Anthropic Messages API: {@code POST {base_url}/v1/messages} with {@code x-api-key} and
 * {@code anthropic-version: 2023-06-01}, streamed as named SSE events ending with {@code message_stop}, or as one JSON
 * answer.
 * The HTTP exchange is {@link ProviderHttp} (see there why it is the Vert.x client). Stream chunks are emitted on a
 * Vert.x event-loop thread: move blocking work off it ({@code emitOn}).
 */
@ApplicationScoped
@Identifier("anthropic")
public class AnthropicProvider implements Provider {

    public static final String NAME = "anthropic";
    public static final String BUILT_IN_DEFAULT_MODEL = "claude-sonnet-4-20250514";

    static final String API_VERSION = "2023-06-01";

    private final ProviderSettings settings;
    private final ProviderHttp http;
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    public AnthropicProvider(TetherConfig config, Vertx vertx) {
        this(ProviderSettings.from(config.providers().anthropic()), vertx);
    }

    /** For tests and embedding: explicit settings on any Vert.x instance. */
    public AnthropicProvider(ProviderSettings settings, Vertx vertx) {
        this.settings = settings;
        this.http = new ProviderHttp(vertx, NAME, settings.connectTimeout(), settings.requestTimeout());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean isConfigured() {
        return settings.isConfigured();
    }

    @Override
    public String defaultModel() {
        return settings.defaultModelOr(BUILT_IN_DEFAULT_MODEL);
    }

    @Override
    public Multi<StreamChunk> stream(CompletionRequest request) {
        return Multi.createFrom().deferred(() -> {
            checkConfigured();
            String body = AnthropicWire.requestBody(json, request, settings, true).toString();
            AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(json, NAME);
            return http.stream(url(), headers(), body,
                            AnthropicStreamDecoder::isEndMarker)
                    .onItem().transformToIterable(decoder::onEvent);
        });
    }

    @Override
    public CompletionResponse complete(CompletionRequest request) {
        checkConfigured();
        String body = AnthropicWire.requestBody(json, request, settings, false).toString();
        String answer = http.post(url(), headers(), body);
        JsonNode root;
        try {
            root = json.readTree(answer);
        } catch (IOException e) {
            throw new ProviderException(ProviderException.Kind.RETRYABLE, 200, null,
                    NAME + ": malformed response body", null, e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ProviderException(ProviderException.Kind.RETRYABLE, 200, null, NAME + ": empty response", null,
                    null);
        }
        if (root.hasNonNull("error")) {
            throw ProviderErrors.fromStreamError(NAME, root.get("error"));
        }
        return AnthropicWire.response(json, root);
    }

    private void checkConfigured() {
        if (!settings.isConfigured()) {
            throw ProviderErrors.missingCredentials(NAME, "TETHER_PROVIDERS_ANTHROPIC_API_KEY or ANTHROPIC_API_KEY");
        }
    }

    private String url() {
        String base = settings.baseUrl();
        String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        // Tolerate a base URL given with the version segment.
        return trimmed + (trimmed.endsWith("/v1") ? "/messages" : "/v1/messages");
    }

    private Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>(settings.headers());
        if (settings.apiKey() != null) {
            h.put("x-api-key", settings.apiKey());
        }
        h.put("anthropic-version", API_VERSION);
        return h;
    }

    @PreDestroy
    void close() {
        http.close();
    }
}
