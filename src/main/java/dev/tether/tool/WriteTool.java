package dev.tether.tool;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** {@code write}: creates or overwrites a file, creating parent directories (spec §4.6). */
@ApplicationScoped
public class WriteTool extends BuiltinTool {

    private static final ObjectNode SCHEMA = SchemaBuilder.object()
            .string("path", true, "File to write, relative to the workspace")
            .string("content", true, "The complete new content of the file")
            .build();

    public WriteTool() {
        super("write", "Create or overwrite a file of the workspace with the given content (parent directories are created).",
                SCHEMA, false);
    }

    @Override
    protected ToolResult run(ToolArguments args, ToolContext context) throws ToolFailure, IOException {
        String raw = args.string("path");
        Path file = PathChecks.notDirectory(WorkspacePaths.resolve(context, raw), raw, "");
        byte[] bytes = args.string("content").getBytes(StandardCharsets.UTF_8);
        boolean created = !Files.exists(file);
        Path parent = file.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // the resolved real path is written without following a symlink swapped into its last component since (§4.5)
        Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        ObjectNode metadata = JsonNodeFactory.instance.objectNode()
                .put("bytes", bytes.length)
                .put("created", created);
        return ToolResult.success("Wrote " + bytes.length + " bytes to " + raw, metadata);
    }
}
