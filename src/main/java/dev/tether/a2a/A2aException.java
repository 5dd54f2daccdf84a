package dev.tether.a2a;

/**
 * A JSON-RPC error to answer (A2A 0.3 §8): the standard JSON-RPC codes and the A2A ones. Never a problem response:
 * whatever goes wrong with a call is answered as a JSON-RPC error object with HTTP 200.
 */
final class A2aException extends RuntimeException {

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;
    static final int TASK_NOT_FOUND = -32001;
    static final int TASK_NOT_CANCELABLE = -32002;
    static final int PUSH_NOTIFICATION_NOT_SUPPORTED = -32003;
    static final int UNSUPPORTED_OPERATION = -32004;
    static final int CONTENT_TYPE_NOT_SUPPORTED = -32005;
    static final int EXTENDED_CARD_NOT_CONFIGURED = -32007;

    private final int code;

    A2aException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    A2aException(int code, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
    }

    int code() {
        return code;
    }

    static A2aException invalidParams(String message) {
        return new A2aException(INVALID_PARAMS, message);
    }

    static A2aException taskNotFound(String taskId) {
        return new A2aException(TASK_NOT_FOUND, "Task not found: " + taskId);
    }
}
