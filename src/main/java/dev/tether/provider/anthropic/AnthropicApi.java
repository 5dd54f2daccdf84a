package dev.tether.provider.anthropic;

import dev.tether.provider.http.ErrorResponses;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * REST client of the Messages API for non-streamed answers, {@code POST /v1/messages}, built at run time by
 * {@link AnthropicProvider} from {@code tether.providers.anthropic.*} (base URL, headers, connect and request timeouts). Bodies
 * travel as JSON text (the wire format is built as trees, see {@code AnthropicWire}); a non-2xx answer becomes a classified
 * {@code ProviderException}. The streamed call is not here: {@link dev.tether.provider.http.StreamExchange} says why
 * it stays on the Vert.x client.
 */
@RegisterRestClient
@Path("/v1/messages")
public interface AnthropicApi {

    /** One JSON answer (blocking). */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    String complete(String body);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return ErrorResponses.toException(AnthropicProvider.NAME, response);
    }
}
