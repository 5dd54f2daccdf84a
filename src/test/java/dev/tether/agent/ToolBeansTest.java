package dev.tether.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.event.EventEmitter;
import dev.tether.session.Cancellation;
import dev.tether.session.ContentPart;
import dev.tether.tool.ArgumentValidator;
import dev.tether.tool.ToolRegistry;
import dev.tether.tool.WorkspaceRoot;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.common.WithTestResource;
import dev.tether.testing.FakeLlmResource;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tool beans wire up in the application: bash is off by default, the executor and validator are injectable. */
@QuarkusTest
@WithTestResource(FakeLlmResource.class) // shares the application of the loop tests
class ToolBeansTest {

    @Inject
    ToolRegistry registry;

    @Inject
    ArgumentValidator validator;

    @Inject
    ToolCallExecutor executor;

    @Inject
    WorkspaceRoot workspaceRoot;

    @Test
    void builtinToolsAreRegisteredWithoutBashByDefaultAndRunThroughTheExecutor() {
        // the built-ins without bash (disabled by default); test sources add their own tools, e.g. test_slow
        assertEquals(List.of("edit", "glob", "grep", "list", "read", "write"),
                registry.names().stream().filter(n -> !n.startsWith("test_")).toList());
        assertInstanceOf(ArgumentValidator.Invalid.class, validator.validate("bash", "{\"command\":\"ls\"}"));
        List<ToolCallOutcome> out = executor.execute(List.of(new ContentPart.ToolCall("c1", "list", "{}")),
                ToolContextFactory.of("s", Path.of("."), workspaceRoot, false, false), EventEmitter.NONE,
                new Cancellation());
        assertTrue(out.get(0).success(), out.get(0).toolUse().output());
        assertTrue(out.get(0).toolUse().output().contains("pom.xml"));
    }

    /**
     * Scenario 21, the constant: the application's executor beats every 10 s (spec §12), so a tool running 25 s gets
     * heartbeats with {@code elapsed_secs} 10 and 20 ({@code ToolCallExecutorTest#scenario21…} checks the beating
     * itself at a scaled interval).
     */
    @Test
    void scenario21TheApplicationsHeartbeatIntervalIsTenSeconds() {
        assertEquals(Duration.ofSeconds(10), executor.heartbeatInterval());
        assertEquals(ToolCallExecutor.HEARTBEAT_INTERVAL, executor.heartbeatInterval());
    }
}
