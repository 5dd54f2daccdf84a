package dev.tether.provider.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Incremental SSE framing (WHATWG event-stream): bytes in, {@link SseEvent}s out. Lines end with LF or CRLF; bytes
 * are split on LF before UTF-8 decoding, so a multi-byte character split across network buffers is never corrupted.
 * Not thread-safe: one parser per stream.
 */
public final class SseParser {

    private final Consumer<SseEvent> sink;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final List<String> data = new ArrayList<>();
    private String event;

    public SseParser(Consumer<SseEvent> sink) {
        this.sink = sink;
    }

    /**
     * Feeds the next bytes of the body. Whole lines are decoded straight from {@code bytes}; only a line split across
     * buffers is copied (a byte-by-byte copy of every line was most of the event loop's decoding cost).
     */
    public void feed(byte[] bytes) {
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            if (line.size() == 0) {
                onLine(decode(bytes, start, i));
            } else {
                line.write(bytes, start, i - start);
                byte[] raw = line.toByteArray();
                line.reset();
                onLine(decode(raw, 0, raw.length));
            }
            start = i + 1;
        }
        if (start < bytes.length) {
            line.write(bytes, start, bytes.length - start);
        }
    }

    /** The line in {@code raw[from, to)}, without a trailing CR. */
    private static String decode(byte[] raw, int from, int to) {
        int end = to > from && raw[to - 1] == '\r' ? to - 1 : to;
        return new String(raw, from, end - from, StandardCharsets.UTF_8);
    }

    /** The body ended: a last event without its blank line is still delivered (lenient to sloppy servers). */
    public void finish() {
        if (line.size() > 0) {
            byte[] raw = line.toByteArray();
            line.reset();
            onLine(new String(raw, StandardCharsets.UTF_8).stripTrailing());
        }
        dispatch();
    }

    private void onLine(String l) {
        if (l.isEmpty()) {
            dispatch();
            return;
        }
        if (l.charAt(0) == ':') {
            sink.accept(SseEvent.keepAlive());
            return;
        }
        int colon = l.indexOf(':');
        String field = colon < 0 ? l : l.substring(0, colon);
        String value = colon < 0 ? "" : l.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> data.add(value);
            case "event" -> event = value;
            default -> {
                // id and retry are not used by model APIs
            }
        }
    }

    private void dispatch() {
        if (data.isEmpty() && event == null) {
            return;
        }
        String joined = String.join("\n", data);
        SseEvent e = new SseEvent(event, joined, false);
        data.clear();
        event = null;
        sink.accept(e);
    }
}
