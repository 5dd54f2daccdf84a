package dev.tether.tool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code glob}: files under {@code path} whose path relative to {@code path} matches the pattern, listed as
 * workspace-relative paths sorted lexicographically (spec §4.6).
 */
@ApplicationScoped
public class GlobTool extends BuiltinTool {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private static final ObjectNode SCHEMA = SchemaBuilder.object()
            .string("pattern", true, "Glob such as **/*.java: * ? [..] {a,b} within a directory, ** across directories")
            .string("path", ".", "Directory to search, relative to the workspace (default: the workspace root)")
            .integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT, "Maximum number of paths (at most 1000)")
            .build();

    public GlobTool() {
        super("glob", "Find files of the workspace by glob pattern, matched against paths relative to 'path'. "
                        + "Returns workspace-relative paths, sorted; .git is skipped.",
                SCHEMA, true);
    }

    @Override
    protected ToolResult run(ToolArguments args, ToolContext context) throws ToolFailure, IOException {
        Glob glob = Glob.compile(args.string("pattern"));
        String raw = args.string("path", ".");
        int limit = (int) args.integer("limit", DEFAULT_LIMIT);
        Path root = WorkspacePaths.root(context);
        Path start = PathChecks.directory(WorkspacePaths.resolve(root, raw), raw);
        List<String> matches = new ArrayList<>();
        for (Path file : WorkspaceWalker.regularFiles(start, context::isCancelled)) {
            if (glob.matches(start.relativize(file).toString().replace('\\', '/'))) {
                matches.add(WorkspacePaths.relative(root, file));
            }
        }
        matches.sort(null);
        return ToolResult.success(OutputLines.capped(matches, limit, "matches"));
    }
}
