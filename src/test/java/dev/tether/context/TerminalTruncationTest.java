package dev.tether.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.Role;
import dev.tether.tool.Utf8;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TerminalTruncationTest {

    @Test
    void shrinkKeepsHeadAndTailWithAMarker() {
        String s = "a".repeat(3000) + "b".repeat(3000);
        String out = TerminalTruncation.shrink(s, 2048, "text");
        assertEquals("a".repeat(1024) + "\n[… 3952 bytes of text removed to fit the context window …]\n"
                + "b".repeat(1024), out);
        assertEquals("short", TerminalTruncation.shrink("short", 2048, "text"));
        // UTF-8 safe: never splits a 3-byte character
        String euro = TerminalTruncation.shrink("€".repeat(2000), 1024, "text");
        assertTrue(euro.startsWith("€".repeat(170) + "\n[… "));
        assertTrue(euro.endsWith("]\n" + "€".repeat(170)));
    }

    @Test
    void dropsThePrefixKeepsFourAndShrinksToTheBudget() throws Exception {
        List<Message> t = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            t.add(Message.userText("old " + i + " " + "q".repeat(100_000)));
            t.add(Message.assistantText("answer " + i));
        }
        t.add(Message.userText("Current request " + "r".repeat(40_000)));
        t.add(Message.of(Role.ASSISTANT, new ContentPart.Thinking("t".repeat(50_000), null),
                new ContentPart.ToolCall("c1", "write", "{\"content\":\"" + "w".repeat(50_000) + "\"}")));
        t.add(Message.toolResult("c1", "v".repeat(50_000)));
        t.add(Message.assistantText("done"));
        TerminalTruncation.Result r = TerminalTruncation.truncate(t, 128_000, 15_000, "sys", List.of());
        assertTrue(r.fits());
        assertTrue(r.requestTokens() <= 15_000);
        List<Message> m = r.messages();
        assertTrue(m.get(0).text().startsWith("[CONTEXT TRUNCATED]"));
        assertTrue(m.get(0).text().contains("dropped without a summary"));
        assertTrue(m.get(0).text().contains("shortened"));
        assertEquals(5, m.size(), "marker + the active tail (keep-last 4)");
        // the active request keeps at least 16 KiB
        String active = m.get(1).text();
        assertTrue(active.startsWith("Current request "));
        assertTrue(Utf8.bytes(active) >= 16 * 1024, "active request floor");
        assertTrue(active.contains("bytes of text removed to fit the context window"));
        // tool-call arguments stay valid JSON
        ContentPart.ToolCall call = m.get(2).toolCalls().get(0);
        JsonNode args = new ObjectMapper().readTree(call.arguments());
        assertEquals(t.get(13).toolCalls().get(0).arguments().length(), args.get("original_bytes").asInt());
        assertTrue(args.get("truncated_arguments").asText().contains("bytes of tool call arguments removed"));
        ContentPart.Thinking thinking = (ContentPart.Thinking) m.get(2).content().get(0);
        assertTrue(thinking.text().contains("bytes of thinking removed"));
        assertTrue(((ContentPart.ToolResult) m.get(3).content().get(0)).content().contains("bytes of tool result removed"));
        assertEquals(t.get(15), m.get(4));
    }

    @Test
    void nothingToDoLeavesNoMarker() {
        List<Message> t = List.of(Message.userText("hi"));
        TerminalTruncation.Result r = TerminalTruncation.truncate(t, 128_000, 1000, "sys", List.of());
        assertTrue(r.fits());
        assertEquals(t, r.messages());
    }

    @Test
    void imagesAndFilesAreUntouched() {
        Message m = Message.of(Role.USER, new ContentPart.Text("z".repeat(100_000)),
                new ContentPart.Image("data:image/png;base64," + "A".repeat(10_000), "image/png"),
                new ContentPart.File("p".repeat(5000), null));
        List<Message> out = TerminalTruncation.shrinkAll(List.of(m), 1024, -1, 1024);
        assertEquals(m.content().get(1), out.get(0).content().get(1));
        assertEquals(m.content().get(2), out.get(0).content().get(2));
    }
}
