package dev.tether.provider.http;

/**
 * What tells one provider's upstream API apart, besides its wire format: the provider's name, the model used when
 * none is configured, the environment variables that give it a key (named in the not-configured error), the REST
 * client interface of the non-streamed call, and the path of the call below the API's base URL (the interface's
 * {@code @Path}: the streamed call on the Vert.x client needs it too).
 */
public record UpstreamApi<A extends CompletionApi>(String name, String builtInDefaultModel, String keyVariables,
                                                   Class<A> client, String path) {
}
