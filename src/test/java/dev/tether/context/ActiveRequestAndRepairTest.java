package dev.tether.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.Role;
import dev.tether.tool.ToolOutputs;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActiveRequestAndRepairTest {

    @Test
    void nudgesAreNotSubstantive() {
        for (String t : List.of("continue", "Continue.", "  OK!  ", "ok.", "okay", "yes", "Y", "go on...", "keep going!",
                "hey", "status?", "resume", "go")) {
            assertFalse(ActiveRequest.isSubstantive(t), t);
        }
        assertTrue(ActiveRequest.isSubstantive("continue with the parser fix"));
        assertTrue(ActiveRequest.isSubstantive("no"));
        assertFalse(ActiveRequest.isSubstantive("   "));
    }

    @Test
    void activeRequestIsTheLatestSubstantiveUserMessage() {
        List<Message> t = List.of(Message.userText("Fix the parser"), Message.assistantText("done"),
                Message.userText("Now add tests"), Message.assistantText("ok"), Message.userText("continue"),
                Message.assistantText("working"), Message.userText("ok."));
        assertEquals(2, ActiveRequest.indexOf(t));
        assertEquals("Now add tests", ActiveRequest.text(t).orElseThrow());
    }

    @Test
    void withoutASubstantiveOneTheLatestUserTextCounts() {
        List<Message> t = List.of(Message.userText("continue"), Message.assistantText("a"), Message.userText("ok"),
                Message.of(Role.USER, new ContentPart.Image("data:image/png;base64,AA==", "image/png")));
        assertEquals(2, ActiveRequest.indexOf(t));
        assertEquals(-1, ActiveRequest.indexOf(List.of(Message.assistantText("hi"))));
    }

    @Test
    void missingResultsGetASyntheticFailure() {
        List<Message> t = List.of(Message.userText("go fix"),
                Message.of(Role.ASSISTANT, new ContentPart.ToolCall("c1", "read", "{}"),
                        new ContentPart.ToolCall("c2", "grep", "{}")),
                Message.toolResult("c1", "one"), Message.assistantText("done"));
        List<Message> r = PairingRepair.repair(t);
        assertEquals(5, r.size());
        assertEquals(Role.TOOL, r.get(2).role());
        ContentPart.ToolResult synthetic = (ContentPart.ToolResult) r.get(2).content().get(0);
        assertEquals("c2", synthetic.toolCallId());
        assertEquals("Tool call feedback\n- tool: grep\n- status: failure\n" + ToolOutputs.FAILURE_HINT
                + "\n\nOutput:\nNo result was recorded for this tool call.", synthetic.content());
        assertEquals(t.get(2), r.get(3));
        assertEquals(4, t.size(), "the input is not modified");
    }

    @Test
    void orphanResultsAreRemoved() {
        List<Message> t = List.of(Message.toolResult("gone", "x"), Message.userText("hi"),
                Message.of(Role.ASSISTANT, new ContentPart.ToolCall("c1", "read", "{}")), Message.toolResult("c1", "a"),
                Message.toolResult("c1", "duplicate"), Message.assistantText("ok"));
        List<Message> r = PairingRepair.repair(t);
        assertEquals(List.of(t.get(1), t.get(2), t.get(3), t.get(5)), r);
    }

    @Test
    void aValidContextIsReturnedAsIs() {
        List<Message> t = List.of(Message.userText("hi"),
                Message.of(Role.ASSISTANT, new ContentPart.ToolCall("c1", "read", "{}")), Message.toolResult("c1", "a"));
        assertEquals(t, PairingRepair.repair(t));
        assertSame(t.get(1), PairingRepair.repair(t).get(1));
    }
}
