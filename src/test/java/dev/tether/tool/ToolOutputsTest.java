package dev.tether.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ToolOutputsTest {

    @Test
    void scenario22_euroOutputIsCutOnCharacterBoundariesForStorageAndEvents() {
        String output = "€".repeat(3400);
        assertEquals(10_200, output.getBytes(StandardCharsets.UTF_8).length);

        String stored = ToolOutputs.storedBody("read", output);
        String digest = "\n[digest: read output was 10200 bytes; only the first 4096 bytes are kept]";
        assertEquals("€".repeat(1365) + digest, stored);

        String event = ToolOutputs.eventOutput(output);
        assertEquals("€".repeat(2730) + " …[truncated, 10200 bytes total]", event);
    }

    @Test
    void storedBodyKeepsOutputsUpToTheCapAndMarksBlankOnes() {
        String exact = "a".repeat(4096);
        assertEquals(exact, ToolOutputs.storedBody("bash", exact));
        assertEquals("a".repeat(4096) + "\n[digest: bash output was 4097 bytes; only the first 4096 bytes are kept]",
                ToolOutputs.storedBody("bash", exact + "b"));
        assertEquals("<empty tool output>", ToolOutputs.storedBody("list", ""));
        assertEquals("<empty tool output>", ToolOutputs.storedBody("list", " \n\t"));
        assertEquals("<empty tool output>", ToolOutputs.storedBody("list", null));
    }

    @Test
    void envelopeOfSuccessAndFailure() {
        assertEquals("Tool call feedback\n- tool: read\n- status: success\n\nOutput:\n     1\thello",
                ToolOutputs.envelope("read", true, "     1\thello"));
        assertEquals("Tool call feedback\n- tool: edit\n- status: failure\n"
                        + "- hint: the call failed; read the error, fix the arguments or the approach, and do not "
                        + "repeat the same call unchanged.\n\nOutput:\nold_string not found in b.txt",
                ToolOutputs.envelope("edit", false, "old_string not found in b.txt"));
    }

    @Test
    void eventCapsForArgumentsAndText() {
        String args = "x".repeat(5000);
        assertEquals("x".repeat(4096) + " …[truncated, 5000 bytes total]", ToolOutputs.eventArguments(args));
        assertEquals("{}", ToolOutputs.eventArguments("{}"));
        String text = "é".repeat(140_000); // 280,000 bytes
        String capped = ToolOutputs.eventText(text);
        assertEquals("é".repeat(131_072) + " …[truncated, 280000 bytes total]", capped);
        assertEquals("short", ToolOutputs.eventText("short"));
    }
}
