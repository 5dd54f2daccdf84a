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
}
