package dev.tether.provider.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

    @Test
    void framesEventsAcrossArbitraryBufferSplitsIncludingMultibyteCharacters() {
        String stream = "event: message_start\r\ndata: {\"a\":\"é✓\"}\r\n\r\n: keep-alive\n\ndata: line1\ndata: line2\n\n"
                + "data:[DONE]\n\n";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (int split = 1; split < bytes.length; split++) {
            List<SseEvent> events = new ArrayList<>();
            SseParser p = new SseParser(events::add);
            byte[] a = java.util.Arrays.copyOfRange(bytes, 0, split);
            byte[] b = java.util.Arrays.copyOfRange(bytes, split, bytes.length);
            p.feed(a);
            p.feed(b);
            p.finish();
            assertEquals(4, events.size(), "split at " + split);
            assertEquals(new SseEvent("message_start", "{\"a\":\"é✓\"}", false), events.get(0));
            assertTrue(events.get(1).comment());
            assertEquals("line1\nline2", events.get(2).data());
            assertEquals("[DONE]", events.get(3).data());
        }
    }

    @Test
    void lastEventWithoutBlankLineIsDeliveredAtEnd() {
        List<SseEvent> events = new ArrayList<>();
        SseParser p = new SseParser(events::add);
        p.feed("data: x".getBytes(StandardCharsets.UTF_8));
        p.finish();
        assertEquals(List.of(new SseEvent(null, "x", false)), events);
    }
}
