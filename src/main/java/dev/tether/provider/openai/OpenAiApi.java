package dev.tether.provider.openai;

import dev.tether.provider.http.CompletionApi;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * REST client of the Chat Completions API for non-streamed answers, {@code POST /chat/completions}, built at run time by
 * {@link OpenAiProvider} from {@code tether.providers.openai.*} (base URL, headers, connect and request
 * timeouts). The streamed call is not here: {@link dev.tether.provider.http.StreamExchange} says why it stays on
 * the Vert.x client. Non-2xx answers are mapped by the {@code ProviderErrorMapper} that
 * {@link dev.tether.provider.http.HttpProvider} registers.
 */
@RegisterRestClient
@Path("/chat/completions")
public interface OpenAiApi extends CompletionApi {
}
