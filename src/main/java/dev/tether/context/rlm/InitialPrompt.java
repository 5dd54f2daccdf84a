package dev.tether.context.rlm;

import dev.tether.tool.Utf8;
import java.util.regex.Pattern;

/**
 * The first user message of an RLM run (spec §7.3): what the content is, its size, the query, a preview of its first
 * and last lines, and how to use the tools and finish.
 */
final class InitialPrompt {

    static final int PREVIEW_HEAD = 30;
    static final int PREVIEW_TAIL = 50;
    /** Lines looked at when guessing the content type. */
    private static final int SAMPLE_LINES = 2000;
    private static final Pattern LOG = Pattern.compile(
            "^\\s*(\\[?\\d{4}-\\d{2}-\\d{2}|\\[?\\d{2}:\\d{2}:\\d{2})|\\b(INFO|WARN|WARNING|ERROR|DEBUG|TRACE)\\b");
    private static final Pattern CODE = Pattern.compile(
            "[;{}]\\s*$|^\\s*(import|package|def|class|function|public|private|return|#include|fn|let|const|var)\\b");
    private static final Pattern TURN = Pattern.compile("^\\s*(user|assistant|system|human|ai|=== message)\\b",
            Pattern.CASE_INSENSITIVE);

    private InitialPrompt() {
    }

    static String of(String content, String[] lines, long tokens, String query) {
        StringBuilder sb = new StringBuilder();
        sb.append("You are working through content that is too large to read at once. Inspect it with the tools and ")
                .append("answer the query.\n\n")
                .append("Content type: ").append(guessType(lines)).append('\n')
                .append("Size: ").append(Utf8.bytes(content)).append(" bytes, ≈").append(tokens).append(" tokens, ")
                .append(lines.length).append(" lines\n")
                .append("Query: ").append(query).append("\n\n");
        if (lines.length <= PREVIEW_HEAD + PREVIEW_TAIL) {
            sb.append("Preview (all lines):\n").append(RlmTools.lines(lines, 1, lines.length));
        } else {
            sb.append("Preview (first ").append(PREVIEW_HEAD).append(" lines):\n")
                    .append(RlmTools.lines(lines, 1, PREVIEW_HEAD))
                    .append("[… ").append(lines.length - PREVIEW_HEAD - PREVIEW_TAIL).append(" lines not shown …]\n")
                    .append("Preview (last ").append(PREVIEW_TAIL).append(" lines):\n")
                    .append(RlmTools.lines(lines, lines.length - PREVIEW_TAIL + 1, lines.length));
        }
        sb.append("\nTools: rlm_lines {start, end} returns a 1-based line range (at most 400 lines or 32 KiB); ")
                .append("rlm_grep {pattern, max_matches} returns matching lines with numbers (at most 200); ")
                .append("rlm_subcall {question, start, end} asks a helper model a question about a line range; ")
                .append("FINAL {answer} ends the run.\n")
                .append("When you are done, finish with FINAL(\"<answer>\").");
        return sb.toString();
    }

    /** A rough guess of what the content is: code, logs, documents, conversation or mixed. */
    static String guessType(String[] lines) {
        int code = 0;
        int logs = 0;
        int prose = 0;
        int convo = 0;
        int n = Math.min(lines.length, SAMPLE_LINES);
        for (int i = 0; i < n; i++) {
            String l = lines[i];
            if (l.isBlank()) {
                continue;
            }
            if (TURN.matcher(l).find()) {
                convo++;
            } else if (LOG.matcher(l).find()) {
                logs++;
            } else if (CODE.matcher(l).find()) {
                code++;
            } else {
                prose++;
            }
        }
        int total = code + logs + prose + convo;
        if (total == 0) {
            return "mixed";
        }
        int best = Math.max(Math.max(code, logs), Math.max(prose, convo));
        if (best * 10 < total * 6) {
            return "mixed";
        }
        return best == logs ? "logs" : best == code ? "code" : best == convo ? "conversation" : "documents";
    }
}
