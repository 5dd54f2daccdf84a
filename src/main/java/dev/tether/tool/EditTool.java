package dev.tether.tool;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** {@code edit}: exact, case-sensitive substring replacement in an existing file (spec §4.6). */
@ApplicationScoped
public class EditTool extends BuiltinTool {

    private static final ObjectNode SCHEMA = SchemaBuilder.object()
            .string("path", true, "File to edit, relative to the workspace")
            .string("old_string", true, "Exact text to replace (must match exactly once unless replace_all)")
            .string("new_string", true, "Replacement text")
            .bool("replace_all", false, "Replace every occurrence")
            .build();

    public EditTool() {
        super("edit", "Replace exact text in an existing file of the workspace. old_string must match exactly once, "
                        + "or set replace_all.",
                SCHEMA, false);
    }

    @Override
    protected ToolResult run(ToolArguments args, ToolContext context) throws ToolFailure, IOException {
        String raw = args.string("path");
        String oldString = args.string("old_string");
        String newString = args.string("new_string");
        boolean replaceAll = args.bool("replace_all", false);
        if (oldString.isEmpty()) {
            throw new ToolFailure("old_string must not be empty");
        }
        if (oldString.equals(newString)) {
            throw new ToolFailure("old_string and new_string are identical; nothing to change");
        }
        Path file = PathChecks.file(WorkspacePaths.resolve(context, raw), raw, "");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(readNoFollow(file))).toString();
        } catch (CharacterCodingException e) {
            throw new ToolFailure("Cannot edit a file that is not UTF-8 text: " + raw);
        }
        int count = countOccurrences(text, oldString);
        if (count == 0) {
            throw new ToolFailure("old_string not found in " + raw);
        }
        if (count > 1 && !replaceAll) {
            throw new ToolFailure("old_string matches " + count + " times in " + raw
                    + "; add surrounding context to make it unique or set replace_all");
        }
        String updated = text.replace(oldString, newString);
        // as read: the resolved real path, never through a symlink swapped into its last component since (§4.5)
        Files.write(file, updated.getBytes(StandardCharsets.UTF_8), StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        ObjectNode metadata = JsonNodeFactory.instance.objectNode().put("replacements", count);
        return ToolResult.success("Replaced " + count + " occurrence(s) in " + raw, metadata);
    }

    private static byte[] readNoFollow(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return in.readAllBytes();
        }
    }

    /** Non-overlapping occurrences, as {@link String#replace} replaces them. */
    static int countOccurrences(String text, String needle) {
        int count = 0;
        int from = 0;
        while ((from = text.indexOf(needle, from)) >= 0) {
            count++;
            from += needle.length();
        }
        return count;
    }
}
