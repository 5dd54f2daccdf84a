package dev.tether.provider.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.Json;
import dev.tether.provider.CompletionRequest;
import dev.tether.provider.CompletionResponse;
import dev.tether.provider.Provider;
import dev.tether.provider.ProviderErrors;
import dev.tether.provider.ProviderException;
import dev.tether.provider.ProviderSettings;
import dev.tether.provider.StreamChunk;
import io.smallrye.mutiny.Multi;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What every HTTP provider shares: settings, the {@link ProviderHttp} exchange, the configured-check, streaming
 * through a per-request SSE decoder, and parsing of one JSON answer. Subclasses supply the wire format only. Stream
 * chunks are emitted on a Vert.x event-loop thread: move blocking work off it ({@code emitOn}).
 */
public abstract class HttpProvider implements Provider {

    protected final ProviderSettings settings;
    /** The service's mapper as {@link Json#internal}: wire formats are trees, answers of other systems read leniently. */
    protected final ObjectMapper json;
    private final ProviderHttp http;
    private final String name;
    private final String builtInDefaultModel;
    private final String keyVariables;

    protected HttpProvider(String name, String builtInDefaultModel, String keyVariables, ProviderSettings settings,
                           Vertx vertx, ObjectMapper json) {
        this.name = name;
        this.json = Json.internal(json);
        this.builtInDefaultModel = builtInDefaultModel;
        this.keyVariables = keyVariables;
        this.settings = settings;
        this.http = new ProviderHttp(vertx, name, this.json, settings.connectTimeout(), settings.requestTimeout());
    }

    /** The request body of the wire format. */
    protected abstract JsonNode requestBody(CompletionRequest request, boolean stream);

    /** A fresh decoder for one stream: SSE event → chunks (throwing a classified error for error events). */
    protected abstract StreamDecoder newDecoder();

    /** Whether an SSE event is the stream's end marker. */
    protected abstract Predicate<SseEvent> endMarker();

    /** The completion of a non-streamed answer. */
    protected abstract CompletionResponse response(JsonNode root);

    /** The endpoint URL. */
    protected abstract String url();

    /** The request headers, credentials included. */
    protected abstract Map<String, String> headers();

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isConfigured() {
        return settings.isConfigured();
    }

    @Override
    public String defaultModel() {
        return settings.defaultModelOr(builtInDefaultModel);
    }

    @Override
    public Duration streamIdleTimeout() {
        return settings.streamIdleTimeout();
    }

    @Override
    public Multi<StreamChunk> stream(CompletionRequest request) {
        return Multi.createFrom().deferred(() -> {
            checkConfigured();
            String body = requestBody(request, true).toString();
            StreamDecoder decoder = newDecoder();
            return http.stream(url(), headers(), body, endMarker())
                    .onItem().transformToIterable(e -> e.isStarted() ? List.of(new StreamChunk.Started())
                            : decoder.onEvent(e))
                    .onCompletion().continueWith(decoder::onEnd);
        });
    }

    @Override
    public CompletionResponse complete(CompletionRequest request) {
        checkConfigured();
        String answer = http.post(url(), headers(), requestBody(request, false).toString());
        JsonNode root;
        try {
            root = json.readTree(answer);
        } catch (IOException e) {
            throw new ProviderException(ProviderException.Kind.RETRYABLE, 200, null,
                    name + ": malformed response body", null, e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ProviderException(ProviderException.Kind.RETRYABLE, 200, null, name + ": empty response", null,
                    null);
        }
        if (root.hasNonNull("error")) {
            throw ProviderErrors.fromStreamError(name, root.get("error"));
        }
        return response(root);
    }

    /** The base URL without a trailing slash. */
    protected String baseUrl() {
        String base = settings.baseUrl();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private void checkConfigured() {
        if (!settings.isConfigured()) {
            throw ProviderErrors.missingCredentials(name, keyVariables);
        }
    }

    @PreDestroy
    public void close() {
        http.close();
    }
}
