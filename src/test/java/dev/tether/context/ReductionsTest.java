package dev.tether.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.Role;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReductionsTest {

    private static Message thinkingAnswer(String thought, String text) {
        return Message.of(Role.ASSISTANT, new ContentPart.Thinking(thought, null), new ContentPart.Text(text));
    }

    private static List<Message> filler(int n) {
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i % 2 == 0 ? Message.userText("ok") : Message.assistantText("fine"));
        }
        return out;
    }

    @Test
    void thinkingIsRemovedOutsideTheLastFourAndEmptyMessagesDisappear() {
        List<Message> t = new ArrayList<>();
        t.add(Message.of(Role.ASSISTANT, new ContentPart.Thinking("only thought", null)));
        t.add(thinkingAnswer("old thought", "old answer"));
        t.add(Message.userText("Fix the bug"));
        t.add(thinkingAnswer("recent", "recent answer"));
        t.addAll(filler(3));
        List<Message> r = Reductions.conservative(t, 2);
        assertEquals(t.size() - 1, r.size());
        assertEquals(List.of(new ContentPart.Text("old answer")), r.get(0).content());
        assertEquals(t.get(3), r.get(2), "after the active request nothing changes");
    }

    @Test
    void nothingAtOrAfterTheActiveRequestIsTouched() {
        List<Message> t = new ArrayList<>();
        t.add(Message.userText("Fix the bug"));
        t.add(thinkingAnswer("a thought", "an   answer"));
        t.addAll(filler(10));
        assertEquals(t, Reductions.conservative(t, 0));
    }

    @Test
    void repeatedLargeToolResultsOutsideTheLastEightBecomeReferences() {
        String big = "x".repeat(300);
        List<Message> t = new ArrayList<>();
        t.add(Message.of(Role.ASSISTANT, new ContentPart.ToolCall("c1", "read", "{}")));
        t.add(Message.toolResult("c1", big));
        t.add(Message.of(Role.ASSISTANT, new ContentPart.ToolCall("c2", "read", "{}")));
        t.add(Message.toolResult("c2", big));
        t.add(Message.of(Role.ASSISTANT, new ContentPart.ToolCall("c3", "read", "{}")));
        t.add(Message.toolResult("c3", "small"));
        t.add(Message.of(Role.ASSISTANT, new ContentPart.ToolCall("c4", "read", "{}")));
        t.add(Message.toolResult("c4", "small"));
        t.addAll(filler(7));
        t.add(Message.toolResult("c1", big)); // repeat inside the last 8: kept
        List<Message> r = Reductions.conservative(t, -1);
        assertEquals(big, ((ContentPart.ToolResult) r.get(1).content().get(0)).content());
        assertEquals("[same output as tool call c1]", ((ContentPart.ToolResult) r.get(3).content().get(0)).content());
        assertEquals("small", ((ContentPart.ToolResult) r.get(7).content().get(0)).content(), "under 256 bytes");
        assertEquals(big, ((ContentPart.ToolResult) r.get(r.size() - 1).content().get(0)).content());
    }

    @Test
    void oldAssistantTextIsWhitespaceCompactedOutsideFences() {
        String text = "Plan:   step\tone  \n\n\n\nthen   two\n```\nkeep   this\t \n\n\n\n```\nend  ";
        List<Message> t = new ArrayList<>();
        t.add(Message.userText("spaced   user   text"));
        t.add(Message.assistantText(text));
        t.addAll(filler(6));
        t.add(Message.userText("Do it"));
        List<Message> r = Reductions.conservative(t, t.size() - 1);
        assertEquals("Plan: step one\n\nthen two\n```\nkeep   this\t \n\n\n\n```\nend", r.get(1).text());
        assertEquals("spaced   user   text", r.get(0).text(), "user text is never compacted");
    }

    @Test
    void recentAssistantTextIsNotCompacted() {
        List<Message> t = List.of(Message.userText("Do it"), Message.assistantText("a   b"));
        assertEquals(t, Reductions.conservative(t, -1));
    }

    @Test
    void anOversizedLastMessageIsCompressedWithAMarker() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4000; i++) {
            sb.append("line ").append(i).append(" of a pasted log with some words in it\n");
        }
        long window = 20_000;
        Message last = Message.of(Role.USER, new ContentPart.Text(sb.toString()),
                new ContentPart.Image("data:image/png;base64,AA==", "image/png"));
        long original = TokenEstimator.estimateText(last);
        assertTrue(original > 0.35 * window);
        List<Message> r = Reductions.oversizedLastMessage(List.of(Message.assistantText("hi"), last), window);
        Message m = r.get(1);
        assertTrue(m.text().startsWith("[message compressed: original ≈" + original + " tokens]\n"), m.text().substring(0, 80));
        assertTrue(TokenEstimator.estimateText(m) <= 0.35 * window + 200);
        assertTrue(m.text().contains("chunks omitted"));
        assertTrue(m.text().contains("line 3999 of a pasted log"), "the newest lines survive");
        assertTrue(m.content().get(1) instanceof ContentPart.Image);
        Message small = Message.userText("short");
        assertEquals(List.of(small), Reductions.oversizedLastMessage(List.of(small), window));
    }
}
