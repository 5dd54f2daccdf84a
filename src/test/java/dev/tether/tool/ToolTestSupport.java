package dev.tether.tool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/** Runs built-in tools the way the executor does: arguments validated against the schema, then executed. */
final class ToolTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ToolTestSupport() {
    }

    static ToolContext context(Path workspace) {
        return context(workspace, ToolContext.OutputSink.NONE);
    }

    /** A context whose workspace is also the workspace root (a null workspace: the session has no directory). */
    static ToolContext context(Path workspace, ToolContext.OutputSink sink) {
        return new ToolContext("session-1", "call-1", workspace,
                workspace == null ? null : new WorkspaceRoot(workspace), false, false, () -> false, sink);
    }

    /** Validates {@code json} for {@code tool} (failing the test when invalid) and executes it. */
    static ToolResult run(Tool tool, Path workspace, String json) throws Exception {
        return run(tool, context(workspace), json);
    }

    static ToolResult run(Tool tool, ToolContext context, String json) throws Exception {
        ArgumentValidator validator = new ArgumentValidator(new ToolRegistry(java.util.List.of(tool), true));
        ArgumentValidator.Result result = validator.validate(tool.name(), json);
        if (result instanceof ArgumentValidator.Invalid invalid) {
            throw new AssertionError(invalid.message());
        }
        return tool.execute(((ArgumentValidator.Valid) result).arguments(), context);
    }

    static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }
}
