package dev.tether.testing;

import io.quarkus.test.common.http.TestHTTPResource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the end-to-end {@code @QuarkusTest} classes of turns over HTTP share: the fake model of
 * {@link FakeLlmResource} ({@code llm}), routed by call kind afresh for each test ({@code routed}), the sessions URI of
 * the running application for the SSE clients, and a fresh workspace per test. Subclasses keep their own
 * {@code @QuarkusTest} and {@code @WithTestResource(FakeLlmResource.class)}: those decide which tests share an
 * application.
 */
public abstract class FakeLlmApiTest {

    @InjectFakeLlm
    protected FakeLlmServer llm;

    /** {@code http://localhost:<port>/api/sessions/}. */
    @TestHTTPResource("/api/sessions/")
    protected URI sessions;

    protected RoutedLlm routed;
    protected Path workspace;

    @BeforeEach
    protected final void routeTheModelAndCreateAWorkspace() throws IOException {
        routed = new RoutedLlm(llm);
        workspace = newWorkspace();
    }

    /** The workspace of a test: {@code a.txt} = {@code hello\n} unless a subclass needs another. */
    protected Path newWorkspace() throws IOException {
        return Workspaces.withHello();
    }
}
