package dev.tether.provider.openai;

import dev.tether.provider.http.CompletionApi;
import dev.tether.provider.http.ErrorResponses;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * REST client of the Chat Completions API for non-streamed answers, {@code POST /chat/completions}, built at run time by
 * {@link OpenAiProvider} from {@code tether.providers.openai.*} (base URL, headers, connect and request
 * timeouts). The streamed call is not here: {@link dev.tether.provider.http.StreamExchange} says why it stays on
 * the Vert.x client.
 */
@RegisterRestClient
@Path("/chat/completions")
public interface OpenAiApi extends CompletionApi {

    /** A non-2xx answer as a classified {@code ProviderException} (vendor error, {@code Retry-After}). */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return ErrorResponses.toException(OpenAiProvider.NAME, response);
    }
}
