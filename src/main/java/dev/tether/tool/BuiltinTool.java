package dev.tether.tool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Common frame of the built-in tools: they are all {@link OutputKind#EXACT} (never summarised, spec §7.2) and report
 * expected failures by throwing {@link ToolFailure}, which becomes a failing result with its message verbatim.
 * Common file-system exceptions are turned into readable failures too.
 */
public abstract class BuiltinTool implements Tool {

    private final ToolSpec spec;

    protected BuiltinTool(String name, String description, ObjectNode schema, boolean readOnly) {
        this.spec = new ToolSpec(name, description, schema, readOnly);
    }

    @Override
    public final String name() {
        return spec.name();
    }

    @Override
    public final String description() {
        return spec.description();
    }

    /** A copy: callers may not change the tool's schema. */
    @Override
    public final ObjectNode parameters() {
        return spec.schema().deepCopy();
    }

    @Override
    public final boolean readOnly() {
        return spec.readOnly();
    }

    @Override
    public final OutputKind outputKind() {
        return OutputKind.EXACT;
    }

    @Override
    public final ToolResult execute(ObjectNode arguments, ToolContext context) throws Exception {
        try {
            return run(new ToolArguments(arguments), context);
        } catch (ToolFailure failure) {
            return ToolResult.failure(failure.getMessage());
        } catch (AccessDeniedException e) {
            return ToolResult.failure("Permission denied: " + e.getFile());
        } catch (NoSuchFileException e) {
            return ToolResult.failure("Path not found: " + e.getFile());
        } catch (NotDirectoryException e) {
            return ToolResult.failure("Not a directory: " + e.getFile());
        }
    }

    /** Runs a validated call. */
    protected abstract ToolResult run(ToolArguments arguments, ToolContext context) throws Exception;
}
