package dev.tether.provider.http;

/**
 * One server-sent event as framed on the wire: {@code event} is the {@code event:} field (null when absent),
 * {@code data} the joined {@code data:} lines. A comment line ({@code : ...}, used by some servers as keep-alive)
 * arrives as an event with {@code comment = true} and null data.
 */
public record SseEvent(String event, String data, boolean comment) {

    public static SseEvent keepAlive() {
        return new SseEvent(null, null, true);
    }

    /**
     * Not on the wire: {@link ProviderHttp} emits it first, once the 2xx status arrived (the parser never dispatches
     * an event without both name and data).
     */
    public static SseEvent started() {
        return new SseEvent(null, null, false);
    }

    public boolean isStarted() {
        return event == null && data == null && !comment;
    }
}
