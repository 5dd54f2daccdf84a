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
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * What every HTTP provider shares: settings, the configured-check, the streamed exchange ({@link StreamExchange}, on
 * the Vert.x client: it says why), the REST client of the upstream API for non-streamed answers (built from
 * {@link ProviderSettings} on first use: base URL, extra headers and credentials, connect and request timeouts),
 * decoding a stream with a per-request decoder, and parsing one JSON answer. Subclasses supply the wire format and
 * their REST client interface. Stream chunks are emitted on a Vert.x event-loop thread: move blocking work off it
 * ({@code emitOn}).
 *
 * @param <A> the REST client interface of the upstream API
 */
public abstract class HttpProvider<A extends CompletionApi> implements Provider {

    protected final ProviderSettings settings;
    /** The service's mapper as {@link Json#internal}: wire formats are trees, answers of other systems read leniently. */
    protected final ObjectMapper json;
    private final UpstreamApi<A> upstream;
    private final String name;
    private final StreamExchange exchange;
    private final AtomicReference<A> api = new AtomicReference<>();

    protected HttpProvider(UpstreamApi<A> upstream, ProviderSettings settings, Vertx vertx, ObjectMapper json) {
        this.upstream = upstream;
        this.name = upstream.name();
        this.json = Json.internal(json);
        this.settings = settings;
        this.exchange = new StreamExchange(vertx, name, this.json, settings.connectTimeout());
    }

    /** The request body of the wire format. */
    protected abstract JsonNode requestBody(CompletionRequest request, boolean stream);

    /** A fresh decoder for one stream: SSE event → chunks (throwing a classified error for error events). */
    protected abstract StreamDecoder newDecoder();

    /** Whether an SSE event is the stream's end marker. */
    protected abstract Predicate<SseEvent> endMarker();

    /** The completion of a non-streamed answer. */
    protected abstract CompletionResponse response(JsonNode root);

    /** Adds the API's credential headers for {@code apiKey} (null when none is configured) and its fixed headers. */
    protected abstract void addApiHeaders(Map<String, String> headers, String apiKey);

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
        return settings.defaultModelOr(upstream.builtInDefaultModel());
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
            return exchange.stream(url(), headers(), body, endMarker())
                    .onItem().transformToIterable(e -> e.isStarted() ? List.of(new StreamChunk.Started())
                            : decoder.onEvent(e))
                    .onCompletion().continueWith(decoder::onEnd);
        });
    }

    @Override
    public CompletionResponse complete(CompletionRequest request) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("blocking provider call on the event loop; use a worker thread");
        }
        checkConfigured();
        String answer = await(api().complete(requestBody(request, false).toString()));
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

    /**
     * The answer of the REST client's call, bounded by the request timeout (the client's own read timeout is the
     * first bound; this one also covers a server that trickles bytes). Timing out or being interrupted cancels the
     * call, which resets the request and closes its connection.
     */
    private String await(Uni<String> call) {
        CompletableFuture<String> answer = call.subscribeAsCompletionStage();
        try {
            return answer.get(settings.requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw ProviderErrors.fromTransport(name, e);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new ProviderException(ProviderException.Kind.FATAL, 0, null, name + ": call interrupted", null, e);
        } catch (ExecutionException e) {
            throw classified(e.getCause());
        } catch (RuntimeException e) {
            throw classified(e);
        }
    }

    /** The base URL without a trailing slash. */
    protected String baseUrl() {
        String base = settings.baseUrl();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** The base URL the API's path is resolved against (an API may drop a version segment its path carries). */
    protected String apiBase() {
        return baseUrl();
    }

    /** The URL of the streamed call. */
    private String url() {
        return apiBase() + upstream.path();
    }

    /** The request headers: the configured ones, then the API's credentials and fixed headers. */
    private Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>(settings.headers());
        addApiHeaders(headers, settings.apiKey());
        return headers;
    }

    /** A failure of the REST client: the mapped error of a non-2xx answer (possibly wrapped), else a transport one. */
    private ProviderException classified(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProviderException pe) {
                return pe;
            }
        }
        return ProviderErrors.fromTransport(name, failure);
    }

    private A api() {
        A current = api.get();
        if (current != null) {
            return current;
        }
        A built = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(apiBase()))
                .connectTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .register(new RequestHeaders(headers()))
                .register(new ProviderErrorMapper(name))
                .build(upstream.client());
        if (api.compareAndSet(null, built)) {
            return built;
        }
        close(built);
        return api.get();
    }

    private void checkConfigured() {
        if (!settings.isConfigured()) {
            throw ProviderErrors.missingCredentials(name, upstream.keyVariables());
        }
    }

    @PreDestroy
    public void close() {
        exchange.close();
        close(api.getAndSet(null));
    }

    private static void close(Object client) {
        if (client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing releases the client's connections; nothing to report at shutdown
            }
        }
    }
}
