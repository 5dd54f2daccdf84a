package dev.tether.provider.openai;

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
 * REST client of the Chat Completions API for non-streamed answers, {@code POST /chat/completions}, built at run time by
 * {@link OpenAiProvider} from {@code tether.providers.openai.*} (base URL, headers, connect and request timeouts). Bodies
 * travel as JSON text (the wire format is built as trees, see {@code OpenAiWire}); a non-2xx answer becomes a classified
 * {@code ProviderException}. The streamed call is not here: {@link dev.tether.provider.http.StreamExchange} says why
 * it stays on the Vert.x client.
 */
@RegisterRestClient
@Path("/chat/completions")
public interface OpenAiApi {

    /** One JSON answer (blocking). */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    String complete(String body);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return ErrorResponses.toException(OpenAiProvider.NAME, response);
    }
}
