package dev.tether.api;

import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * Recognises a client that went away while its request was served (closed channel, broken pipe, connection reset).
 * That is the client's business, not a fault of the service: it is logged at DEBUG and never answered as a 500.
 */
final class Disconnects {

    private static final int MAX_DEPTH = 16;
    private static final String[] MESSAGES = {"broken pipe", "connection reset", "connection was closed",
        "connection was aborted", "connection abort"};

    private Disconnects() {
    }

    static boolean isDisconnect(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof ClosedChannelException || t instanceof HttpClosedException) {
                return true;
            }
            if (t instanceof IOException && t.getMessage() != null) {
                String message = t.getMessage().toLowerCase(Locale.ROOT);
                for (String m : MESSAGES) {
                    if (message.contains(m)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
