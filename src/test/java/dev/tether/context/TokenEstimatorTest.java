package dev.tether.context;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.provider.ToolDefinition;
import dev.tether.session.ContentPart;
import dev.tether.session.ContextPolicy;
import dev.tether.session.Message;
import dev.tether.session.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {

    private final ContextWindows windows = new ContextWindows(Map.of(), 8192);

    @Test
    void scenario29Estimates() {
        assertEquals(358, TokenEstimator.estimate("a".repeat(1000)));
        assertEquals(250, TokenEstimator.estimate("word ".repeat(200)));
        assertEquals(2000, TokenEstimator.estimate(new ContentPart.Image("data:image/png;base64,AA==", "image/png")));
        assertEquals(0, TokenEstimator.estimate(""));
    }

    @Test
    void whitespaceRatioPicksTheDivisorPerString() {
        // 1 space in 20 chars = 0.05 → k 3.2; 1 in 10 = 0.10 → k 3.6; 1 in 5 = 0.2 → k 4.0
        assertEquals((long) Math.ceil(200 / 3.2), TokenEstimator.estimate("aaaaaaaaaaaaaaaaaaa ".repeat(10)));
        assertEquals((long) Math.ceil(200 / 3.6), TokenEstimator.estimate("aaaaaaaaa ".repeat(20)));
        assertEquals(50, TokenEstimator.estimate("aaaa ".repeat(40)));
        // bytes, not characters: 100 × '€' = 300 bytes, no whitespace
        assertEquals((long) Math.ceil(300 / 2.8), TokenEstimator.estimate("€".repeat(100)));
    }

    @Test
    void messagePartsFollowTheirRules() {
        Message m = Message.of(Role.ASSISTANT, new ContentPart.Thinking("a".repeat(28), "b".repeat(28)),
                new ContentPart.Text("a".repeat(1000)), new ContentPart.ToolCall("c1", "read", "{\"path\":\"x\"}"));
        long expected = 10 + 10 + 358 + TokenEstimator.estimate("c1") + TokenEstimator.estimate("read")
                + TokenEstimator.estimate("{\"path\":\"x\"}");
        assertEquals(expected, TokenEstimator.estimate(m));
        Message tool = Message.toolResult("c1", "a".repeat(1000));
        assertEquals(TokenEstimator.estimate("c1") + 358, TokenEstimator.estimate(tool));
        Message file = Message.of(Role.USER, new ContentPart.File("src/a.txt", null));
        assertEquals(TokenEstimator.estimate("src/a.txt"), TokenEstimator.estimate(file));
    }

    @Test
    void toolDefinitionsCountAsTheirJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ToolDefinition def = new ToolDefinition("read", "Read a file",
                json.readTree("{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}"));
        String serialized = "{\"name\":\"read\",\"description\":\"Read a file\",\"parameters\":"
                + "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}}";
        assertEquals(TokenEstimator.estimate(serialized), TokenEstimator.estimate(def));
        assertEquals(TokenEstimator.estimate("sys") + 358 + TokenEstimator.estimate(serialized),
                TokenEstimator.estimateRequest("sys", List.of(Message.userText("a".repeat(1000))), List.of(def)));
    }

    @Test
    void aToolListIsEstimatedAsItIsNowWhetherOrNotItsEstimateIsKept() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ToolDefinition read = new ToolDefinition("read", "Read a file", json.readTree("{\"type\":\"object\"}"));
        ToolDefinition write = new ToolDefinition("write", "Write a file with many words in its description",
                json.readTree("{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}"));
        long both = TokenEstimator.estimate(read) + TokenEstimator.estimate(write);
        List<ToolDefinition> fixed = List.of(read, write);
        assertEquals(both, TokenEstimator.estimateTools(fixed));
        assertEquals(both, TokenEstimator.estimateTools(fixed)); // the kept estimate
        assertEquals(TokenEstimator.estimate(read), TokenEstimator.estimateTools(List.of(read)));
        // a list that can change is estimated afresh every time, never from what it held before
        ArrayList<ToolDefinition> changing = new ArrayList<>(List.of(read));
        assertEquals(TokenEstimator.estimate(read), TokenEstimator.estimateTools(changing));
        changing.add(write);
        assertEquals(both, TokenEstimator.estimateTools(changing));
        assertEquals(0, TokenEstimator.estimateTools(null));
        assertEquals(both, TokenEstimator.estimateTools(fixed));
    }

    @Test
    void scenario29Budgets() {
        assertEquals(170_784, windows.usableBudgetOf("anthropic/claude-x"));
        assertEquals(105_984, windows.usableBudgetOf("openai/mystery-model"));
        assertEquals(105_984, windows.usableBudget(128_000));
        assertEquals(170_784, windows.usableBudget(200_000));
        assertEquals(890_784, windows.usableBudget(1_000_000));
        // never below a quarter of the window
        assertEquals(4_906, windows.usableBudget(10_000));
        assertEquals(1_000, windows.usableBudget(4_000));
    }

    @Test
    void windowTableFirstMatchWinsOnTheModelId() {
        assertEquals(1_047_576, windows.window("openai/gpt-4.1-mini"));
        assertEquals(128_000, windows.window("openai/GPT-4o-mini"));
        assertEquals(256_000, windows.window("openrouter/openai/gpt-5"));
        assertEquals(200_000, windows.window("anthropic/claude-sonnet-4-20250514"));
        assertEquals(1_048_576, windows.window("openrouter/google/gemini-2.5-pro"));
        assertEquals(262_144, windows.window("groq/kimi-k2-instruct"));
        assertEquals(200_000, windows.window("zai/glm-5"));
        assertEquals(128_000, windows.window("ollama/llama3"));
        // the provider part is not matched: a provider named "claude" does not make the model a Claude
        assertEquals(128_000, windows.window("claude/llama3"));
    }

    @Test
    void configuredOverridesTakePrecedence() {
        ContextWindows w = new ContextWindows(Map.of("gpt-4o", 64_000, "llama3", 8_192, "GPT-4O-MINI", 32_000), 8192);
        assertEquals(32_000, w.window("openai/gpt-4o-mini"));
        assertEquals(64_000, w.window("openai/gpt-4o"));
        assertEquals(8_192, w.window("ollama/llama3:8b"));
        assertEquals(200_000, w.window("anthropic/claude-x"));
    }

    @Test
    void effectiveBudgetHonoursPolicyAndHalving() {
        assertEquals(105_984, windows.effectiveBudget("openai/gpt-4o", ContextPolicy.DEFAULT, false));
        assertEquals(52_992, windows.effectiveBudget("openai/gpt-4o", ContextPolicy.DEFAULT, true));
        ContextPolicy small = new ContextPolicy(ContextPolicy.Policy.AUTO, 500);
        assertEquals(500, windows.effectiveBudget("openai/gpt-4o", small, false));
        assertEquals(250, windows.effectiveBudget("openai/gpt-4o", small, true));
        ContextPolicy huge = new ContextPolicy(ContextPolicy.Policy.AUTO, 10_000_000);
        assertEquals(105_984, windows.effectiveBudget("openai/gpt-4o", huge, false));
    }
}
