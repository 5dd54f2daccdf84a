package dev.tether.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.config.Json;
import dev.tether.event.EventEmitter;
import dev.tether.event.SessionEvent;
import dev.tether.event.TokenSource;
import dev.tether.provider.ModelResolver;
import dev.tether.provider.ResolvedModel;
import dev.tether.provider.ToolDefinition;
import dev.tether.session.Cancellation;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.RlmConfig;
import dev.tether.session.Role;
import dev.tether.session.Usage;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * RLM (spec §7): routing of bulk tool outputs, the iterative root-model loop with {@code rlm_lines},
 * {@code rlm_grep}, {@code rlm_subcall} and {@code FINAL}, the smart-truncation fallback, and summary mode for
 * compaction. Runs synchronously on the caller's thread (inside the step); model calls go through
 * {@link AuxiliaryCaller}, so each one emits {@code token_estimate}/{@code token_usage} and reports its usage.
 */
@ApplicationScoped
public class RlmEngine {

    static final double ROOT_TEMPERATURE = 0.2;
    static final int CALL_MAX_TOKENS = 4096;
    static final int PREVIEW_HEAD = 30;
    static final int PREVIEW_TAIL = 50;
    static final int MAX_LINES_PER_READ = 400;
    static final int MAX_BYTES_PER_READ = 32 * 1024;
    static final int MAX_GREP_MATCHES = 200;
    static final int LONG_TEXT_ACCEPT_ITERATION = 3;
    static final int LONG_TEXT_ACCEPT_CHARS = 500;
    static final String CONTINUE = "Continue. Call FINAL(\"your answer\") when ready.";
    static final String SUBCALL_BUDGET_EXHAUSTED = "sub-call budget exhausted; call FINAL now";
    static final long STORED_CAP = 4096;
    static final long SUMMARY_INPUT_MAX = 40_000;
    static final int QUERY_CHARS = 500;

    static final String SUMMARY_INSTRUCTION = "You condense the earlier part of a coding-agent session so that the "
            + "agent can continue without it. Write a briefing with: the user's goal and constraints; the current "
            + "state; recent actions and their results; files touched; exact errors, commands and identifiers that "
            + "matter; open tasks; next steps. Be specific and complete; output only the briefing.";

    private static final List<ToolDefinition> TOOLS = tools();

    /**
     * One RLM run over {@code content}. {@code label} names the content in events and markers (the tool name);
     * {@code rootModel} and {@code subcallModel} are selectors ({@code subcallModel} null = root model).
     */
    public record RlmRequest(String traceId, String content, String query, String label, String rootModel,
                             String subcallModel, int maxIterations, int maxSubcalls, EventEmitter emitter,
                             Cancellation cancellation, UsageSink usageSink) {
    }

    /**
     * Routing of one finished tool output (§7.2). {@code activeRequestText} is the text of the active user request
     * ({@link ActiveRequest#text}); {@code sessionModel} the session's selector.
     */
    public record RouteRequest(String toolName, String output, String activeRequestText, String sessionModel,
                               RlmConfig rlm, EventEmitter emitter, Cancellation cancellation, UsageSink usageSink) {
    }

    /**
     * The body to store for a routed output (before the 4096-byte storage cap of §4.4) and the run's result. When
     * {@code result.outcome()} is {@code ABORTED} the body is the original output and the turn must end.
     */
    public record RoutedOutput(String body, RlmResult result) {
    }

    /**
     * A compaction summary run (§7.5): the prefix as segments (one per message), summarised by {@code rootModel}.
     * Summary mode makes one call, so its progress events report {@code max_iterations} 1.
     */
    public record SummaryRequest(String traceId, List<ChunkCompressor.Segment> content, String rootModel,
                                 EventEmitter emitter, Cancellation cancellation, UsageSink usageSink) {
    }

    private final ModelResolver resolver;
    private final ContextWindows windows;
    private final AuxiliaryCaller caller;
    private final ContextMetrics metrics;
    /** Reads the models' tool-call arguments: {@link Json#internal}, lenient like any JSON of other writers. */
    private final ObjectMapper json;

    @Inject
    public RlmEngine(ModelResolver resolver, ContextWindows windows, AuxiliaryCaller caller, MeterRegistry registry,
                     ObjectMapper json) {
        this(resolver, windows, caller, new ContextMetrics(registry), json);
    }

    /** Built without CDI: the service's mapper ({@link Json#mapper()}). */
    public RlmEngine(ModelResolver resolver, ContextWindows windows, AuxiliaryCaller caller, MeterRegistry registry) {
        this(resolver, windows, caller, registry, Json.mapper());
    }

    RlmEngine(ModelResolver resolver, ContextWindows windows, AuxiliaryCaller caller, ContextMetrics metrics,
              ObjectMapper json) {
        this.resolver = resolver;
        this.windows = windows;
        this.caller = caller;
        this.metrics = metrics;
        this.json = Json.internal(json);
    }

    // ---------------------------------------------------------------- routing (§7.2)

    /**
     * Whether a finished tool output goes to RLM: mode not {@code off}; the tool's output kind is bulk; and mode
     * {@code always}, or the output is above {@code threshold × window}, or it would overflow
     * ({@code current + out > 0.8 × window} and {@code out ≥ 0.5 × (current + out)}).
     *
     * @param currentContextTokens estimate of the last derived context
     */
    public boolean shouldRoute(RlmConfig rlm, boolean bulk, String output, String sessionModel,
                               long currentContextTokens) {
        if (rlm.mode() == RlmConfig.Mode.OFF || !bulk) {
            return false;
        }
        if (rlm.mode() == RlmConfig.Mode.ALWAYS) {
            return true;
        }
        long window = windows.window(sessionModel);
        long out = TokenEstimator.estimate(output);
        if (out > rlm.threshold() * window) {
            return true;
        }
        long projected = currentContextTokens + out;
        return projected > 0.8 * window && out >= 0.5 * projected;
    }

    /** Routes a tool output through RLM and renders the stored body (summary header or smart truncation). */
    public RoutedOutput route(RouteRequest req) {
        RlmConfig rlm = req.rlm();
        String root = rlm.rootModel() != null ? rlm.rootModel() : req.sessionModel();
        String active = req.activeRequestText() == null ? "" : req.activeRequestText();
        if (active.codePointCount(0, active.length()) > QUERY_CHARS) {
            active = active.substring(0, active.offsetByCodePoints(0, QUERY_CHARS));
        }
        String query = "Extract what is relevant to the user's current request: " + active;
        RlmResult result = run(new RlmRequest(UUID.randomUUID().toString(), req.output(), query, req.toolName(), root,
                rlm.subcallModel(), rlm.maxIterations(), rlm.maxSubcalls(), req.emitter(), req.cancellation(),
                req.usageSink()));
        String body = switch (result.outcome()) {
            case CONVERGED -> "[RLM summary of " + req.toolName() + " output: " + result.inputTokens() + " → "
                    + result.outputTokens() + " tokens, " + result.iterations() + " iterations, " + result.subcalls()
                    + " sub-calls]\n" + result.answer();
            case ABORTED -> req.output();
            case FAILED, EXHAUSTED -> smartTruncate(req.output(), req.toolName());
        };
        return new RoutedOutput(body, result);
    }

    /**
     * Smart truncation sized to the 4096-byte storage cap (§7.4): the first 60 % (cut at a line boundary), a marker,
     * the last 30 % (starting at a line boundary). Outputs within the cap are returned unchanged.
     */
    public static String smartTruncate(String output, String tool) {
        long total = Utf8.bytes(output);
        if (total <= STORED_CAP) {
            return output;
        }
        String head = Utf8.prefix(output, STORED_CAP * 60 / 100);
        int nl = head.lastIndexOf('\n');
        if (nl > 0) {
            head = head.substring(0, nl + 1);
        }
        String tail = Utf8.suffix(output, STORED_CAP * 30 / 100);
        int tnl = tail.indexOf('\n');
        if (tnl >= 0 && tnl + 1 < tail.length()) {
            tail = tail.substring(tnl + 1);
        }
        long kept = Utf8.bytes(head) + Utf8.bytes(tail);
        String sepBefore = head.endsWith("\n") ? "" : "\n";
        return head + sepBefore + "[… middle of " + tool + " output omitted: kept " + kept + " of " + total
                + " bytes …]\n" + tail;
    }

    // ---------------------------------------------------------------- the iterative loop (§7.3, §7.4)

    /** Runs the iterative loop; never throws for model errors or cancellation (see the outcome). */
    public RlmResult run(RlmRequest req) {
        long startNanos = System.nanoTime();
        EventEmitter emitter = req.emitter();
        Cancellation cancellation = req.cancellation();
        String content = req.content() == null ? "" : req.content();
        String[] lines = content.split("\n", -1);
        long inputTokens = TokenEstimator.estimate(content);
        int max = req.maxIterations();
        UsageTotal usage = new UsageTotal(req.usageSink());
        emitter.emit(new SessionEvent.RlmProgress(req.traceId(), 0, max, "started"));

        int iterations = 0;
        int subcalls = 0;
        String answer = null;
        String error = null;
        boolean aborted = false;
        String subcallModelUsed = null;
        Subcalls sub = new Subcalls(req);

        ResolvedModel root = null;
        try {
            root = resolver.resolve(req.rootModel());
        } catch (RuntimeException e) {
            error = "root model unavailable: " + e.getMessage();
        }
        List<Message> conversation = new ArrayList<>();
        conversation.add(Message.userText(initialPrompt(content, lines, inputTokens, req.query())));
        while (root != null && answer == null && iterations < max) {
            if (cancellation.isCancelled()) {
                aborted = true;
                break;
            }
            iterations++;
            emitter.emit(new SessionEvent.RlmProgress(req.traceId(), iterations, max, "iterating"));
            Message reply;
            try {
                reply = caller.call(root, new AuxiliaryCaller.Call(TokenSource.RLM_ITERATION, conversation, TOOLS,
                        ROOT_TEMPERATURE, null, CALL_MAX_TOKENS, null), emitter, cancellation, usage).response().message();
            } catch (Cancellation.CancelledException e) {
                aborted = true;
                break;
            } catch (RuntimeException e) {
                error = "root model error: " + e.getMessage();
                break;
            }
            if (reply == null) {
                reply = Message.assistantText("");
            }
            var fin = FinalAnswer.of(json, reply);
            if (fin.isPresent()) {
                answer = fin.get();
                emitter.emit(new SessionEvent.RlmProgress(req.traceId(), iterations, max, "finalizing"));
                break;
            }
            List<ContentPart.ToolCall> calls = reply.toolCalls();
            if (!calls.isEmpty()) {
                List<ContentPart> parts = new ArrayList<>();
                List<Message> results = new ArrayList<>();
                for (ContentPart p : reply.content()) {
                    if (p instanceof ContentPart.ToolCall c && (c.id() == null || c.id().isBlank())) {
                        p = new ContentPart.ToolCall("call_" + UUID.randomUUID(), c.name(), c.arguments());
                    }
                    parts.add(p);
                }
                conversation.add(new Message(Role.ASSISTANT, parts));
                for (ContentPart p : parts) {
                    if (!(p instanceof ContentPart.ToolCall c)) {
                        continue;
                    }
                    String out;
                    if ("rlm_subcall".equals(c.name())) {
                        if (subcalls >= req.maxSubcalls()) {
                            out = SUBCALL_BUDGET_EXHAUSTED;
                        } else {
                            subcalls++;
                            emitter.emit(new SessionEvent.RlmProgress(req.traceId(), iterations, max, "subcall"));
                            try {
                                out = sub.call(root, c.arguments(), lines, usage);
                            } catch (Cancellation.CancelledException e) {
                                aborted = true;
                                break;
                            }
                            subcallModelUsed = sub.usedSelector();
                        }
                    } else {
                        out = executeTool(c, lines);
                    }
                    results.add(Message.toolResult(c.id(), out));
                }
                if (aborted) {
                    break;
                }
                conversation.addAll(results);
                continue;
            }
            String text = reply.text();
            if (iterations >= LONG_TEXT_ACCEPT_ITERATION && text.length() > LONG_TEXT_ACCEPT_CHARS
                    && !text.contains("```")) {
                answer = text;
                emitter.emit(new SessionEvent.RlmProgress(req.traceId(), iterations, max, "finalizing"));
                break;
            }
            conversation.add(reply.content().isEmpty() ? Message.assistantText("") : reply);
            conversation.add(Message.userText(CONTINUE));
        }
        if (cancellation.isCancelled()) {
            aborted = true;
        }
        RlmOutcome outcome = aborted ? RlmOutcome.ABORTED : error != null ? RlmOutcome.FAILED
                : answer != null ? RlmOutcome.CONVERGED : RlmOutcome.EXHAUSTED;
        String reason = switch (outcome) {
            case ABORTED -> "the turn was cancelled";
            case FAILED -> error;
            case EXHAUSTED -> "no final answer after " + iterations + " iterations";
            case CONVERGED -> null;
        };
        return complete(req.traceId(), outcome, outcome == RlmOutcome.CONVERGED ? answer : null, iterations, subcalls,
                inputTokens, startNanos, reason, req.rootModel(), subcallModelUsed, usage, emitter);
    }

    private RlmResult complete(String traceId, RlmOutcome outcome, String answer, int iterations, int subcalls,
                               long inputTokens, long startNanos, String reason, String rootModel,
                               String subcallModelUsed, UsageTotal usage, EventEmitter emitter) {
        long outputTokens = answer == null ? 0 : TokenEstimator.estimate(answer);
        long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
        emitter.emit(new SessionEvent.RlmComplete(traceId, outcome.wireName(), iterations, subcalls, inputTokens,
                outputTokens, elapsedMs, reason, rootModel, subcallModelUsed));
        metrics.rlmRun(outcome, iterations);
        return new RlmResult(traceId, outcome, answer, iterations, subcalls, inputTokens, outputTokens, elapsedMs,
                reason, rootModel, subcallModelUsed, usage.total());
    }

    // ---------------------------------------------------------------- summary mode (§7.5)

    /**
     * A summary run: no tools, the flattened content itself (chunk-compressed to
     * {@code min(40,000, usable/2)} tokens when larger), one call with {@code max_tokens} 4096; the first non-empty
     * reply (without a {@code FINAL(...)} wrapper) is the answer, an empty one makes the run {@code exhausted}.
     */
    public RlmResult summarize(SummaryRequest req) {
        long startNanos = System.nanoTime();
        EventEmitter emitter = req.emitter();
        UsageTotal usage = new UsageTotal(req.usageSink());
        StringBuilder joined = new StringBuilder();
        for (ChunkCompressor.Segment s : req.content()) {
            if (joined.length() > 0) {
                joined.append('\n');
            }
            joined.append(s.text());
        }
        String content = joined.toString();
        long inputTokens = TokenEstimator.estimate(content);
        emitter.emit(new SessionEvent.RlmProgress(req.traceId(), 0, 1, "started"));
        ResolvedModel root;
        try {
            root = resolver.resolve(req.rootModel());
        } catch (RuntimeException e) {
            return complete(req.traceId(), RlmOutcome.FAILED, null, 0, 0, inputTokens, startNanos,
                    "root model unavailable: " + e.getMessage(), req.rootModel(), null, usage, emitter);
        }
        long limit = Math.min(SUMMARY_INPUT_MAX, windows.usableBudgetOf(root.selector()) / 2);
        if (inputTokens > limit) {
            content = ChunkCompressor.compress(req.content(), limit);
        }
        emitter.emit(new SessionEvent.RlmProgress(req.traceId(), 1, 1, "iterating"));
        String text;
        try {
            text = caller.call(root, new AuxiliaryCaller.Call(TokenSource.RLM_ITERATION,
                            List.of(Message.of(Role.SYSTEM, new ContentPart.Text(SUMMARY_INSTRUCTION)),
                                    Message.userText(content)), List.of(), ROOT_TEMPERATURE, null,
                            (int) SummaryMessage.MAX_SUMMARY_TOKENS, null),
                    emitter, req.cancellation(), usage).text();
        } catch (Cancellation.CancelledException e) {
            return complete(req.traceId(), RlmOutcome.ABORTED, null, 1, 0, inputTokens, startNanos,
                    "the turn was cancelled", req.rootModel(), null, usage, emitter);
        } catch (RuntimeException e) {
            return complete(req.traceId(), RlmOutcome.FAILED, null, 1, 0, inputTokens, startNanos,
                    "root model error: " + e.getMessage(), req.rootModel(), null, usage, emitter);
        }
        String answer = FinalAnswer.unwrap(text == null ? "" : text);
        if (answer.isBlank()) {
            return complete(req.traceId(), RlmOutcome.EXHAUSTED, null, 1, 0, inputTokens, startNanos,
                    "the model returned an empty summary", req.rootModel(), null, usage, emitter);
        }
        emitter.emit(new SessionEvent.RlmProgress(req.traceId(), 1, 1, "finalizing"));
        return complete(req.traceId(), RlmOutcome.CONVERGED, answer, 1, 0, inputTokens, startNanos, null,
                req.rootModel(), null, usage, emitter);
    }

    // ---------------------------------------------------------------- tools

    private String executeTool(ContentPart.ToolCall call, String[] lines) {
        JsonNode args;
        try {
            args = json.readTree(call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments());
        } catch (Exception e) {
            return "Invalid arguments for " + call.name() + ": " + e.getMessage();
        }
        if (args == null || !args.isObject()) {
            return "Invalid arguments for " + call.name() + ": not a JSON object";
        }
        return switch (call.name()) {
            case "rlm_lines" -> lines(lines, args.path("start").asInt(1), args.path("end").asInt(1));
            case "rlm_grep" -> grep(lines, args.path("pattern").asText(""),
                    args.path("max_matches").asInt(MAX_GREP_MATCHES));
            default -> "Unknown tool: " + call.name() + ". Available tools: rlm_lines, rlm_grep, rlm_subcall, FINAL";
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

    /** Sub-call model resolution (lazy, once, with the fallback event) and the sub-calls themselves. */
    private final class Subcalls {
        private final RlmRequest req;
        private ResolvedModel model;
        private boolean resolved;

        Subcalls(RlmRequest req) {
            this.req = req;
        }

        String usedSelector() {
            return model == null ? null : model.selector();
        }

        String call(ResolvedModel root, String arguments, String[] lines, UsageSink usage) {
            if (!resolved) {
                resolved = true;
                model = root;
                if (req.subcallModel() != null && !req.subcallModel().isBlank()) {
                    try {
                        model = resolver.resolve(req.subcallModel());
                    } catch (RuntimeException e) {
                        req.emitter().emit(new SessionEvent.RlmSubcallFallback(req.subcallModel(), root.selector(),
                                e.getMessage()));
                    }
                }
            }
            JsonNode args;
            try {
                args = json.readTree(arguments == null || arguments.isBlank() ? "{}" : arguments);
            } catch (Exception e) {
                return "Invalid arguments for rlm_subcall: " + e.getMessage();
            }
            int from = Math.max(1, args.path("start").asInt(1));
            int to = Math.min(lines.length, args.path("end").asInt(lines.length));
            StringBuilder slice = new StringBuilder();
            for (int i = from; i <= to; i++) {
                slice.append(lines[i - 1]).append('\n');
            }
            String text = SummaryMessage.limit(slice.toString(), windows.usableBudgetOf(model.selector()) / 2);
            String prompt = "Answer the question about the content below. Be concise and exact.\n\nQuestion: "
                    + args.path("question").asText("") + "\n\nContent (lines " + from + "–" + to + "):\n" + text;
            try {
                return caller.call(model, new AuxiliaryCaller.Call(TokenSource.RLM_SUBCALL,
                        List.of(Message.userText(prompt)), List.of(), ROOT_TEMPERATURE, null, CALL_MAX_TOKENS, null),
                        req.emitter(), req.cancellation(), usage).text();
            } catch (Cancellation.CancelledException e) {
                throw e;
            } catch (RuntimeException e) {
                return "sub-call failed: " + e.getMessage();
            }
        }
    }

    private static String initialPrompt(String content, String[] lines, long tokens, String query) {
        StringBuilder sb = new StringBuilder();
        sb.append("You are working through content that is too large to read at once. Inspect it with the tools and ")
                .append("answer the query.\n\n")
                .append("Content type: ").append(guessType(lines)).append('\n')
                .append("Size: ").append(Utf8.bytes(content)).append(" bytes, ≈").append(tokens).append(" tokens, ")
                .append(lines.length).append(" lines\n")
                .append("Query: ").append(query).append("\n\n");
        if (lines.length <= PREVIEW_HEAD + PREVIEW_TAIL) {
            sb.append("Preview (all lines):\n").append(lines(lines, 1, lines.length));
        } else {
            sb.append("Preview (first ").append(PREVIEW_HEAD).append(" lines):\n").append(lines(lines, 1, PREVIEW_HEAD))
                    .append("[… ").append(lines.length - PREVIEW_HEAD - PREVIEW_TAIL).append(" lines not shown …]\n")
                    .append("Preview (last ").append(PREVIEW_TAIL).append(" lines):\n")
                    .append(lines(lines, lines.length - PREVIEW_TAIL + 1, lines.length));
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
        int n = Math.min(lines.length, 2000);
        Pattern log = Pattern.compile("^\\s*(\\[?\\d{4}-\\d{2}-\\d{2}|\\[?\\d{2}:\\d{2}:\\d{2})|\\b(INFO|WARN|WARNING|ERROR|DEBUG|TRACE)\\b");
        Pattern codeLine = Pattern.compile("[;{}]\\s*$|^\\s*(import|package|def|class|function|public|private|return|#include|fn|let|const|var)\\b");
        Pattern turn = Pattern.compile("^\\s*(user|assistant|system|human|ai|=== message)\\b", Pattern.CASE_INSENSITIVE);
        for (int i = 0; i < n; i++) {
            String l = lines[i];
            if (l.isBlank()) {
                continue;
            }
            if (turn.matcher(l).find()) {
                convo++;
            } else if (log.matcher(l).find()) {
                logs++;
            } else if (codeLine.matcher(l).find()) {
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

    private static List<ToolDefinition> tools() {
        return List.of(
                tool("rlm_lines", "Return the given 1-based line range of the content (at most 400 lines or 32 KiB).",
                        "start", "integer", "end", "integer"),
                tool("rlm_grep", "Return the lines matching a regular expression, with line numbers (at most 200).",
                        "pattern", "string", "max_matches", "integer"),
                tool("rlm_subcall", "Ask a helper model a question about a line range; returns its answer.",
                        "question", "string", "start", "integer", "end", "integer"),
                tool(FinalAnswer.TOOL, "Finish the run with the final answer.", "answer", "string"));
    }

    private static ToolDefinition tool(String name, String description, String... props) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        var required = schema.putArray("required");
        for (int i = 0; i < props.length; i += 2) {
            properties.putObject(props[i]).put("type", props[i + 1]);
            if (!"max_matches".equals(props[i])) {
                required.add(props[i]);
            }
        }
        return new ToolDefinition(name, description, schema);
    }

    /** Sums a run's usage while passing each delta on. */
    private static final class UsageTotal implements UsageSink {
        private final UsageSink downstream;
        private Usage total = Usage.ZERO;

        UsageTotal(UsageSink downstream) {
            this.downstream = downstream == null ? UsageSink.NONE : downstream;
        }

        @Override
        public void add(Usage usage) {
            total = total.plus(usage);
            downstream.add(usage);
        }

        Usage total() {
            return total;
        }
    }
}
