package dev.tether.context.rlm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.provider.ToolDefinition;
import dev.tether.session.ContentPart;
import dev.tether.tool.SchemaBuilder;
import dev.tether.tool.Utf8;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The tools of the root model (spec §7.3): their definitions, and {@code rlm_lines} and {@code rlm_grep}, which read
 * the content itself ({@code rlm_subcall} is {@link Subcalls}, {@code FINAL} is {@link FinalAnswer}).
 */
final class RlmTools {

    static final String SUBCALL = "rlm_subcall";
    static final int MAX_LINES_PER_READ = 400;
    static final int MAX_BYTES_PER_READ = 32 * 1024;
    static final int MAX_GREP_MATCHES = 200;

    static final List<ToolDefinition> DEFINITIONS = List.of(
            new ToolDefinition("rlm_lines",
                    "Return the given 1-based line range of the content (at most 400 lines or 32 KiB).",
                    SchemaBuilder.object()
                            .integer("start", true, "First line, 1-based.")
                            .integer("end", true, "Last line, inclusive.").build()),
            new ToolDefinition("rlm_grep",
                    "Return the lines matching a regular expression, with line numbers (at most 200).",
                    SchemaBuilder.object()
                            .string("pattern", true, "A Java regular expression; an invalid one is matched literally.")
                            .integer("max_matches", MAX_GREP_MATCHES, 1, MAX_GREP_MATCHES, "Most matches returned.")
                            .build()),
            new ToolDefinition(SUBCALL, "Ask a helper model a question about a line range; returns its answer.",
                    SchemaBuilder.object()
                            .string("question", true, "The question about the line range.")
                            .integer("start", true, "First line, 1-based.")
                            .integer("end", true, "Last line, inclusive.").build()),
            new ToolDefinition(FinalAnswer.TOOL, "Finish the run with the final answer.",
                    SchemaBuilder.object().string("answer", true, "The final answer.").build()));

    private RlmTools() {
    }

    /** A call's arguments: the JSON object, or the tool result that says why they are not one. */
    record Arguments(JsonNode object, String error) {
    }

    /** Parses a call's arguments (blank = {@code {}}). */
    static Arguments parse(ObjectMapper json, ContentPart.ToolCall call) {
        JsonNode args;
        try {
            args = json.readTree(call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments());
        } catch (Exception e) {
            return new Arguments(null, "Invalid arguments for " + call.name() + ": " + e.getMessage());
        }
        if (args == null || !args.isObject()) {
            return new Arguments(null, "Invalid arguments for " + call.name() + ": not a JSON object");
        }
        return new Arguments(args, null);
    }

    /** Runs {@code rlm_lines} or {@code rlm_grep} on the content's lines; any other name is answered as unknown. */
    static String execute(String name, JsonNode args, String[] lines) {
        return switch (name) {
            case "rlm_lines" -> lines(lines, args.path("start").asInt(1), args.path("end").asInt(1));
            case "rlm_grep" -> grep(lines, args.path("pattern").asText(""),
                    args.path("max_matches").asInt(MAX_GREP_MATCHES));
            default -> "Unknown tool: " + name + ". Available tools: rlm_lines, rlm_grep, rlm_subcall, FINAL";
        };
    }

    static String lines(String[] lines, int start, int end) {
        int from = Math.max(1, start);
        int to = Math.min(Math.min(lines.length, end), from + MAX_LINES_PER_READ - 1);
        if (from > lines.length) {
            return "start " + start + " is past the end of the content (" + lines.length + " lines)";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = from; i <= to; i++) {
            String line = i + ": " + lines[i - 1] + "\n";
            if (Utf8.bytes(sb.toString()) + Utf8.bytes(line) > MAX_BYTES_PER_READ) {
                sb.append("(cut at 32 KiB; continue from line ").append(i).append(")\n");
                break;
            }
            sb.append(line);
        }
        return sb.toString();
    }

    static String grep(String[] lines, String pattern, int maxMatches) {
        Pattern p;
        try {
            p = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            p = Pattern.compile(Pattern.quote(pattern));
        }
        int limit = Math.max(1, Math.min(maxMatches, MAX_GREP_MATCHES));
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (int i = 0; i < lines.length && n < limit; i++) {
            if (p.matcher(lines[i]).find()) {
                sb.append(i + 1).append(": ").append(lines[i]).append('\n');
                n++;
            }
        }
        return n == 0 ? "No matches" : sb.toString();
    }
}
