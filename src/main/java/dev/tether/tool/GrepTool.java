package dev.tether.tool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code grep}: regular-expression (or literal) search, line by line, in the text files under {@code path}; output
 * lines {@code <relative path>:<line>:<text>} sorted by path then line (spec §4.6).
 */
@ApplicationScoped
public class GrepTool extends BuiltinTool {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final int MAX_LINE_CHARS = 500;
    static final long MAX_FILE_BYTES = 10L * 1024 * 1024;

    private static final ObjectNode SCHEMA = SchemaBuilder.object()
            .string("pattern", true, "Regular expression (Java syntax), or plain text when literal is true")
            .string("path", ".", "File or directory to search, relative to the workspace (default: the workspace root)")
            .string("include", false, "Glob on file names, e.g. *.java or *.{ts,tsx}")
            .bool("literal", false, "Treat pattern as plain text")
            .integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT, "Maximum number of matching lines (at most 1000)")
            .build();

    public GrepTool() {
        super("grep", "Search the text files of the workspace line by line for a regular expression (or literal text). "
                        + "Output lines are path:line:text; binaries, files over 10 MiB and .git are skipped.",
                SCHEMA, true);
    }

    @Override
    protected ToolResult run(ToolArguments args, ToolContext context) throws ToolFailure, IOException {
        String patternText = args.string("pattern");
        Pattern pattern;
        try {
            pattern = args.bool("literal", false)
                    ? Pattern.compile(Pattern.quote(patternText))
                    : Pattern.compile(patternText);
        } catch (PatternSyntaxException e) {
            throw new ToolFailure("Invalid regular expression: " + e.getDescription() + " near index "
                    + e.getIndex() + " in " + patternText);
        }
        String includeText = args.string("include", null);
        Glob include = includeText == null || includeText.isEmpty() ? null : Glob.compile(includeText);
        String raw = args.string("path", ".");
        int limit = (int) args.integer("limit", DEFAULT_LIMIT);
        Path root = WorkspacePaths.root(context);
        Path start = PathChecks.existing(WorkspacePaths.resolve(root, raw), raw);

        List<Path> files = new ArrayList<>(WorkspaceWalker.regularFiles(start, context::isCancelled));
        files.sort(Comparator.comparing(f -> WorkspacePaths.relative(root, f)));
        List<String> shown = new ArrayList<>();
        int matches = 0;
        for (Path file : files) {
            if (context.isCancelled()) {
                throw new ToolFailure("grep was cancelled");
            }
            if (include != null && !include.matches(file.getFileName().toString())) {
                continue;
            }
            if (Files.size(file) > MAX_FILE_BYTES || TextFiles.isBinary(file)) {
                continue;
            }
            String rel = WorkspacePaths.relative(root, file);
            try (BufferedReader reader = TextFiles.lenientReader(file)) {
                String line;
                int number = 0;
                while ((line = reader.readLine()) != null) {
                    number++;
                    if (pattern.matcher(line).find()) {
                        matches++;
                        if (matches <= limit) {
                            shown.add(rel + ':' + number + ':' + (line.length() > MAX_LINE_CHARS
                                    ? line.substring(0, MAX_LINE_CHARS) : line));
                        }
                    }
                }
            } catch (IOException e) {
                // an unreadable file (permissions, vanished meanwhile) does not fail the whole search
            }
        }
        if (matches == 0) {
            return ToolResult.success("No matches");
        }
        return ToolResult.success(OutputLines.of(shown, matches - shown.size(), "matches"));
    }
}
