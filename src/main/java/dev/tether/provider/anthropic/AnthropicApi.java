package dev.tether.provider.anthropic;

import dev.tether.provider.http.CompletionApi;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * REST client of the Messages API for non-streamed answers, {@code POST /v1/messages}, built at run time by
 * {@link AnthropicProvider} from {@code tether.providers.anthropic.*} (base URL, headers, connect and request
 * timeouts). The streamed call is not here: {@link dev.tether.provider.http.StreamExchange} says why it stays on
 * the Vert.x client. Non-2xx answers are mapped by the {@code ProviderErrorMapper} that
 * {@link dev.tether.provider.http.HttpProvider} registers.
 */
@RegisterRestClient
@Path("/v1/messages")
public interface AnthropicApi extends CompletionApi {
}
