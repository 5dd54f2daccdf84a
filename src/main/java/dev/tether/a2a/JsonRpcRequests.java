package dev.tether.a2a;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * Reads a JSON-RPC 2.0 request (spec §14.3): a body that is no JSON is a parse error (-32700); one that is no request
 * object ({@code jsonrpc: "2.0"}, a string {@code method}, an {@code id} that is a string, number or null, object
 * {@code params}) an invalid request (-32600); params that do not fit the method invalid params (-32602).
 */
final class JsonRpcRequests {

    private final ObjectMapper mapper;

    JsonRpcRequests(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A request: its id (JSON null when it had none), method and params (null when absent). */
    record Call(JsonNode id, String method, JsonNode params) {
    }

    /** The id of a request that failed before its id was read. */
    static final JsonNode NO_ID = NullNode.getInstance();

    /** The body as a request object; -32700 when it is no JSON, -32600 when it is no object (e.g. a batch). */
    JsonNode parse(byte[] body) {
        JsonNode tree;
        try {
            tree = body.length == 0 ? null : mapper.readTree(body);
        } catch (IOException e) {
            throw new A2aException(A2aException.PARSE_ERROR, "Parse error: the body is not JSON");
        }
        if (tree == null || tree.isMissingNode()) {
            throw new A2aException(A2aException.PARSE_ERROR, "Parse error: the body is empty");
        }
        if (!tree.isObject()) {
            throw new A2aException(A2aException.INVALID_REQUEST, tree.isArray()
                    ? "Invalid request: batches are not supported" : "Invalid request: not a JSON-RPC request object");
        }
        return tree;
    }

    /** The request's id to answer with: JSON null when it has none or one of the wrong type. */
    static JsonNode idOf(JsonNode request) {
        JsonNode id = request.get("id");
        return id != null && (id.isTextual() || id.isNumber()) ? id : NO_ID;
    }

    /** The call a request object makes; -32600 when it is not a well-formed JSON-RPC 2.0 request. */
    Call call(JsonNode request) {
        JsonNode id = request.get("id");
        if (id != null && !(id.isTextual() || id.isNumber() || id.isNull())) {
            throw invalid("id must be a string, number or null");
        }
        if (!"2.0".equals(request.path("jsonrpc").textValue())) {
            throw invalid("jsonrpc must be \"2.0\"");
        }
        JsonNode method = request.get("method");
        if (method == null || !method.isTextual() || method.textValue().isEmpty()) {
            throw invalid("method must be a non-empty string");
        }
        JsonNode params = request.get("params");
        if (params != null && !params.isObject() && !params.isNull()) {
            throw invalid("params must be an object");
        }
        return new Call(idOf(request), method.textValue(), params == null || params.isNull() ? null : params);
    }

    private static A2aException invalid(String message) {
        return new A2aException(A2aException.INVALID_REQUEST, "Invalid request: " + message);
    }

    /** The params of {@code call} as {@code type}; -32602 naming the field when they do not fit. */
    <T> T params(Call call, Class<T> type) {
        if (call.params() == null) {
            throw A2aException.invalidParams("Invalid params: params are required");
        }
        try {
            return mapper.treeToValue(call.params(), type);
        } catch (JsonMappingException e) {
            String path = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            throw A2aException.invalidParams("Invalid params" + (path.isEmpty() ? "" : ": " + path + " has the "
                    + "wrong type or value"));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw A2aException.invalidParams("Invalid params");
        }
    }
}
