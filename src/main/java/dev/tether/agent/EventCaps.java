package dev.tether.agent;

import java.nio.charset.StandardCharsets;

/** Event payload caps (spec §4.4): over the cap, cut UTF-8 safe and append {@code  …[truncated, <N> bytes total]}. */
final class EventCaps {

    private EventCaps() {
    }

    static String cap(String value, int maxBytes) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return value;
        }
        int end = maxBytes;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8) + " …[truncated, " + bytes.length + " bytes total]";
    }
}
