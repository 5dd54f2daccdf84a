package dev.tether.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts one {@link FakeLlmServer} for a {@code @QuarkusTest} and points both providers at it with dummy keys:
 * {@code tether.providers.openai.base-url=http://127.0.0.1:<port>/v1},
 * {@code tether.providers.anthropic.base-url=http://127.0.0.1:<port>}, keys {@value #OPENAI_KEY} and
 * {@value #ANTHROPIC_KEY}. The default model stays {@code openai/gpt-4o}.
 *
 * <pre>{@code
 * @QuarkusTest
 * @WithTestResource(FakeLlmResource.class)
 * class PromptResourceTest {
 *     @InjectFakeLlm
 *     FakeLlmServer llm;                  // or FakeLlmResource.server()
 *
 *     @BeforeEach
 *     void clean() { llm.reset(); }
 *
 *     @Test
 *     void answers() {
 *         llm.enqueue(Reply.text("Hi!"));
 *         ... call the API with rest-assured ...
 *         assertEquals("/v1/chat/completions", llm.takeRequest(Duration.ofSeconds(5)).path());
 *     }
 * }
 * }</pre>
 */
public class FakeLlmResource implements QuarkusTestResourceLifecycleManager {

    public static final String OPENAI_KEY = "test-openai-key";
    public static final String ANTHROPIC_KEY = "test-anthropic-key";

    private static volatile FakeLlmServer current;
    private FakeLlmServer server;

    @Override
    public Map<String, String> start() {
        server = FakeLlmServer.start();
        current = server;
        return Map.of(
                "tether.providers.openai.base-url", server.openAiBaseUrl(),
                "tether.providers.openai.api-key", OPENAI_KEY,
                "tether.providers.anthropic.base-url", server.anthropicBaseUrl(),
                "tether.providers.anthropic.api-key", ANTHROPIC_KEY);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(InjectFakeLlm.class, FakeLlmServer.class));
    }

    /** The server of the most recently started resource (the running application's). */
    public static FakeLlmServer server() {
        FakeLlmServer s = current;
        if (s == null) {
            throw new IllegalStateException("FakeLlmResource is not started");
        }
        return s;
    }
}
