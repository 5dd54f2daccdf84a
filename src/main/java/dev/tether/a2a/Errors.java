package dev.tether.a2a;

import dev.tether.session.TetherException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/**
 * The JSON-RPC error for a failure of the layers below (spec §14.3): a prompt's precondition problems (400, 413,
 * 422) are invalid params, 404 is task not found, a busy context (409) is an unsupported operation (one task at a
 * time per context), anything else an internal error whose message names no internals.
 */
final class Errors {

    private static final Logger LOG = Logger.getLogger(Errors.class);

    private Errors() {
    }

    static A2aException of(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof A2aException a) {
            return a;
        }
        if (t instanceof TetherException e) {
            int status = e.status();
            if (status == 404) {
                return new A2aException(A2aException.TASK_NOT_FOUND, e.getMessage(), e);
            }
            if (status == 409) {
                return new A2aException(A2aException.UNSUPPORTED_OPERATION, e.getMessage()
                        + " (one task at a time per context: wait for it or cancel it)", e);
            }
            if (status >= 400 && status < 500) {
                return new A2aException(A2aException.INVALID_PARAMS, e.getMessage(), e);
            }
            return new A2aException(A2aException.INTERNAL_ERROR, e.getMessage(), e);
        }
        LOG.errorf(t, "A2A call failed unexpectedly");
        return new A2aException(A2aException.INTERNAL_ERROR, "Internal error", t);
    }
}
