package dev.tether.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.Role;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryMessageTest {

    @Test
    void summaryTextAndDroppedUserTurnsIndex() {
        List<Message> t = new ArrayList<>();
        t.add(Message.userText("\n  Fix the failing auth middleware tests\nwith details"));
        t.add(Message.assistantText("ok"));
        for (int i = 0; i < 12; i++) {
            t.add(Message.userText("Turn " + i + " " + "y".repeat(80)));
        }
        t.add(Message.of(Role.USER, new ContentPart.Image("data:image/png;base64,AA==", "image/png")));
        Message m = SummaryMessage.build(t, 15, "the summary");
        String text = m.text();
        assertEquals(Role.USER, m.role());
        assertEquals(1, m.content().size());
        assertTrue(text.startsWith("[CONTEXT SUMMARY]\nMessages 0–14 of this session were condensed to fit the model's "
                + "context window.\nThe messages after this summary are verbatim.\n\nthe summary\n\n[DROPPED USER TURNS]\n"
                + "- #0: Fix the failing auth middleware tests\n"), text);
        String cut = "Turn 0 " + "y".repeat(62) + "…";
        assertEquals(70, cut.length());
        assertTrue(text.contains("- #2: " + cut + "\n"));
        assertTrue(text.contains("- #10: Turn 8 "));
        assertFalse(text.contains("- #11:"));
        assertTrue(text.endsWith("\n- … and 3 more"), text);
        assertTrue(SummaryMessage.isSummary(m));
    }

    @Test
    void indexIsOmittedWithoutUserText() {
        Message m = SummaryMessage.build(List.of(Message.assistantText("a"), Message.userText("Do it")), 1, "s");
        assertFalse(m.text().contains("[DROPPED USER TURNS]"));
        assertTrue(m.text().startsWith("[CONTEXT SUMMARY]\nMessages 0–0 "));
    }

    @Test
    void summaryTextIsLimitedTo4096Tokens() {
        Message m = SummaryMessage.build(List.of(Message.assistantText("a")), 1, "z".repeat(50_000));
        assertTrue(TokenEstimator.estimate(m.text()) <= 4096 + 60);
        assertEquals(SummaryMessage.limit("z".repeat(50_000), 4096), SummaryMessage.limit("z".repeat(50_000), 4096));
        assertTrue(TokenEstimator.estimate(SummaryMessage.limit("z".repeat(50_000), 4096)) <= 4096);
    }

    @Test
    void flatteningFormat() {
        List<Message> t = List.of(
                Message.of(Role.USER, new ContentPart.Text("look"), new ContentPart.Image("u", "image/png"),
                        new ContentPart.File("a.txt", null)),
                Message.of(Role.ASSISTANT, new ContentPart.Thinking("hmm", "sig"), new ContentPart.Text("Reading."),
                        new ContentPart.ToolCall("c1", "read", "{\"path\":\"a.txt\"}")),
                Message.toolResult("c1", "hello"));
        assertEquals("=== message 3 (user) ===\nlook\n[image image/png]\n[file a.txt]\n"
                + "=== message 4 (assistant) ===\n[thinking]\nhmm\nReading.\n[tool call c1 · read] {\"path\":\"a.txt\"}\n"
                + "=== message 5 (tool) ===\n[tool result c1]\nhello", SummaryMessage.flatten(t, 3));
    }
}
