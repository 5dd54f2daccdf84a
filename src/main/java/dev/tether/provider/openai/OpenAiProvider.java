package dev.tether.provider.openai;

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
 * Any OpenAI-compatible Chat Completions server (OpenAI, OpenRouter, vLLM, Ollama, llama.cpp, LM Studio, ...):
 * {@code POST {base_url}/chat/completions}, streamed as SSE ending with {@code data: [DONE]}, or as one JSON answer.
 * The HTTP exchange is {@link ProviderHttp} (see there why it is the Vert.x client). Stream chunks are emitted on a
 * Vert.x event-loop thread: move blocking work off it ({@code emitOn}).
 */
@ApplicationScoped
@Identifier("openai")
public class OpenAiProvider implements Provider {

    public static final String NAME = "openai";
    public static final String BUILT_IN_DEFAULT_MODEL = "gpt-4o";

    private final ProviderSettings settings;
    private final ProviderHttp http;
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    public OpenAiProvider(TetherConfig config, Vertx vertx) {
        this(ProviderSettings.from(config.providers().openai()), vertx);
    }

    /** For tests and embedding: explicit settings on any Vert.x instance. */
    public OpenAiProvider(ProviderSettings settings, Vertx vertx) {
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
            String body = OpenAiWire.requestBody(json, request, settings, true).toString();
            OpenAiStreamDecoder decoder = new OpenAiStreamDecoder(json, NAME);
            return http.stream(url(), headers(), body,
                            e -> e.data() != null && e.data().strip().equals(OpenAiStreamDecoder.DONE_MARKER))
                    .onItem().transformToIterable(decoder::onEvent);
        });
    }

    @Override
    public CompletionResponse complete(CompletionRequest request) {
        checkConfigured();
        String body = OpenAiWire.requestBody(json, request, settings, false).toString();
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
        return OpenAiWire.response(root);
    }

    private void checkConfigured() {
        if (!settings.isConfigured()) {
            throw ProviderErrors.missingCredentials(NAME, "TETHER_PROVIDERS_OPENAI_API_KEY or OPENAI_API_KEY");
        }
    }

    private String url() {
        String base = settings.baseUrl();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/chat/completions";
    }

    private Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>(settings.headers());
        if (settings.apiKey() != null) {
            h.put("authorization", "Bearer " + settings.apiKey());
        }
        return h;
    }

    @PreDestroy
    void close() {
        http.close();
    }
}
