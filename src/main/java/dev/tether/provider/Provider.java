package dev.tether.provider;

import io.smallrye.mutiny.Multi;
import java.time.Duration;

/**
 * A model provider (spec §11), discovered as a CDI bean with {@code @Identifier("<name>")}. Implementations speak
 * the vendor's wire protocol; failures surface as {@link ProviderException}, already classified.
 */
public interface Provider {

    /** Stream idle timeout when a provider does not configure one (spec §3.8). */
    Duration DEFAULT_STREAM_IDLE_TIMEOUT = Duration.ofSeconds(300);

    /** The provider name used in selectors, e.g. {@code openai}. */
    String name();

    /** Whether a base URL is set and, off loopback, a key is present. */
    boolean isConfigured();

    /** The model used when only the provider is named. */
    String defaultModel();

    /** A started stream that stays silent this long is restarted by the loop (spec §3.8). */
    default Duration streamIdleTimeout() {
        return DEFAULT_STREAM_IDLE_TIMEOUT;
    }

    /**
     * Streams one completion. The returned {@code Multi} fails with a {@link ProviderException}; cancelling the
     * subscription cancels the HTTP exchange. It starts with {@link StreamChunk.Started} once the 2xx status arrived
     * (providers that cannot tell may omit it) and ends after a {@link StreamChunk.Done} — also when the stream ended
     * cleanly without its end marker after the model had said why it stopped — or without one when the server closed
     * the stream early (the caller detects that).
     */
    Multi<StreamChunk> stream(CompletionRequest request);

    /** One non-streaming completion; blocking, never call it on the event loop. */
    CompletionResponse complete(CompletionRequest request);
}
