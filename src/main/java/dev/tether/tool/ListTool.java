package dev.tether.tool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code list}: the entries of one directory, sorted by name, directories suffixed {@code /} (spec §4.6). */
@ApplicationScoped
public class ListTool extends BuiltinTool {

    /** Entries shown before the {@code … <N> more entries} line. */
    static final int MAX_ENTRIES = 1000;

    private static final ObjectNode SCHEMA = SchemaBuilder.object()
            .string("path", ".", "Directory to list, relative to the workspace (default: the workspace root)")
            .build();

    public ListTool() {
        super("list", "List the entries of one directory of the workspace, sorted by name; directories end with '/'. "
                        + "Dot-files are included, .git is skipped.",
                SCHEMA, true);
    }

    @Override
    protected ToolResult run(ToolArguments args, ToolContext context) throws ToolFailure, IOException {
        String raw = args.string("path", ".");
        Path dir = PathChecks.directory(WorkspacePaths.resolve(context, raw), raw);
        List<String> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path entry : stream) {
                String name = entry.getFileName().toString();
                if (name.equals(".git")) {
                    continue; // never listed (§4.5); still readable explicitly
                }
                entries.add(Files.isDirectory(entry) ? name + "/" : name);
            }
        }
        entries.sort(null);
        return ToolResult.success(OutputLines.capped(entries, MAX_ENTRIES, "entries"));
    }
}
