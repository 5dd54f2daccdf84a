package dev.tether.tool;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code read}: numbered lines of a text file (spec §4.6): each line as its number right-aligned in 6 columns, a tab
 * and the line; long lines cut with {@code …}; a trailer says where to continue.
 */
@ApplicationScoped
public class ReadTool extends BuiltinTool {

    static final int MAX_LINES = 2000;
    static final int MAX_LINE_CHARS = 2000;

    private static final ObjectNode SCHEMA = SchemaBuilder.object()
            .string("path", true, "File to read, relative to the workspace")
            .integer("offset", 1, 1, "First line to return (1-based)")
            .integer("limit", MAX_LINES, 1, MAX_LINES, "Number of lines to return (at most 2000)")
            .build();

    public ReadTool() {
        super("read", "Read a text file of the workspace as numbered lines (up to 2000 per call; use offset to continue).",
                SCHEMA, true);
    }

    @Override
    protected ToolResult run(ToolArguments args, ToolContext context) throws ToolFailure, IOException {
        String raw = args.string("path");
        long offset = args.integer("offset", 1);
        long limit = args.integer("limit", MAX_LINES);
        Path file = PathChecks.file(WorkspacePaths.resolve(context, raw), raw, " (use list)");
        if (TextFiles.isBinary(file)) {
            throw new ToolFailure("Cannot read binary file: " + raw);
        }
        long last = offset + limit - 1;
        StringBuilder out = new StringBuilder();
        long total = 0;
        try (BufferedReader reader = TextFiles.lenientReader(file)) {
            String line;
            while ((line = reader.readLine()) != null) {
                total++;
                if (total < offset || total > last) {
                    continue;
                }
                if (line.length() > MAX_LINE_CHARS) {
                    line = line.substring(0, MAX_LINE_CHARS) + "…";
                }
                out.append(String.format("%6d\t", total)).append(line).append('\n');
            }
        }
        ObjectNode metadata = JsonNodeFactory.instance.objectNode().put("total_lines", total);
        if (offset > total && !(total == 0 && offset == 1)) {
            return ToolResult.failure("offset " + offset + " is past the end of the file (" + total + " lines)",
                    metadata);
        }
        if (total > last) {
            out.append("(file has more lines; continue with offset=").append(last + 1).append(")\n");
        }
        return ToolResult.success(OutputLines.withoutFinalNewline(out), metadata);
    }
}
