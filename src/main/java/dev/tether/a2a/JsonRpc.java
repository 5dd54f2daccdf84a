package dev.tether.a2a;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** JSON-RPC 2.0 responses (the requests are read as trees by {@link JsonRpcRequests}). */
final class JsonRpc {

    static final String VERSION = "2.0";

    private JsonRpc() {
    }

    /** A successful response; {@code id} echoes the request's (a JSON string, number or null). */
    @JsonPropertyOrder({"jsonrpc", "id", "result"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @RegisterForReflection
    record Result(String jsonrpc, JsonNode id, Object result) {
        Result(JsonNode id, Object result) {
            this(VERSION, id, result);
        }
    }

    /** An error response; {@code id} is null when the request's could not be read. */
    @JsonPropertyOrder({"jsonrpc", "id", "error"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @RegisterForReflection
    record Failure(String jsonrpc, JsonNode id, Error error) {
        Failure(JsonNode id, A2aException e) {
            this(VERSION, id, new Error(e.code(), e.getMessage(), null));
        }
    }

    /** The error object: a standard JSON-RPC or A2A code and a message for people. */
    @JsonPropertyOrder({"code", "message", "data"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    record Error(int code, String message, JsonNode data) {
    }
}
