package dev.tether.provider.anthropic;

import dev.tether.provider.http.CompletionApi;
import dev.tether.provider.http.ErrorResponses;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * REST client of the Messages API for non-streamed answers, {@code POST /v1/messages}, built at run time by
 * {@link AnthropicProvider} from {@code tether.providers.anthropic.*} (base URL, headers, connect and request
 * timeouts). The streamed call is not here: {@link dev.tether.provider.http.StreamExchange} says why it stays on
 * the Vert.x client.
 */
@RegisterRestClient
@Path("/v1/messages")
public interface AnthropicApi extends CompletionApi {

    /** A non-2xx answer as a classified {@code ProviderException} (vendor error, {@code Retry-After}). */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return ErrorResponses.toException(AnthropicProvider.NAME, response);
    }
}
