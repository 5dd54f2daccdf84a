package dev.tether.provider;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tether.session.Message;
import dev.tether.testing.FakeLlmResource;
import dev.tether.testing.FakeLlmServer;
import dev.tether.testing.InjectFakeLlm;
import dev.tether.testing.Reply;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CDI wiring: both provider beans discovered, configured from {@link FakeLlmResource}, and readiness UP. */
@QuarkusTest
@WithTestResource(FakeLlmResource.class)
class ProviderWiringTest {

    @InjectFakeLlm
    FakeLlmServer llm;

    @Inject
    ModelResolver resolver;

    @BeforeEach
    void clean() {
        llm.reset();
    }

    @Test
    void selectorsReachBothProvidersThroughTheFakeServer() {
        llm.enqueue(Reply.text("from openai"), Reply.text("from anthropic"));
        CompletionRequest req = new CompletionRequest("ignored", List.of(Message.userText("hi")), List.of(), null,
                null, 64, List.of());

        ResolvedModel openai = resolver.resolve("openai/gpt-4o-mini");
        CompletionResponse a = openai.provider().complete(withModel(req, openai.modelId()));
        assertEquals("from openai", a.message().text());
        var first = llm.takeRequest(Duration.ofSeconds(5));
        assertEquals("/v1/chat/completions", first.path());
        assertEquals("Bearer " + FakeLlmResource.OPENAI_KEY, first.header("authorization"));
        assertEquals("gpt-4o-mini", first.model());

        ResolvedModel anthropic = resolver.resolve("anthropic");
        CompletionResponse b = anthropic.provider().complete(withModel(req, anthropic.modelId()));
        assertEquals("from anthropic", b.message().text());
        var second = llm.takeRequest(Duration.ofSeconds(5));
        assertEquals("/v1/messages", second.path());
        assertEquals(FakeLlmResource.ANTHROPIC_KEY, second.header("x-api-key"));
        assertEquals("claude-sonnet-4-20250514", second.model());
    }

    @Test
    void readinessListsConfiguredProviders() {
        given().get("/q/health/ready").then().statusCode(200).body(containsString("openai,anthropic"));
    }

    private static CompletionRequest withModel(CompletionRequest r, String model) {
        return new CompletionRequest(model, r.messages(), r.tools(), r.temperature(), r.topP(), r.maxTokens(), r.stop());
    }
}
