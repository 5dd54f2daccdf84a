package dev.tether.importer;

import static dev.tether.importer.RolloutFields.count;
import static dev.tether.importer.RolloutFields.lenientTimestamp;
import static dev.tether.importer.RolloutFields.object;
import static dev.tether.importer.RolloutFields.optionalTimestamp;
import static dev.tether.importer.RolloutFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.importer.RolloutFields.BadLine;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.Role;
import dev.tether.session.Session;
import dev.tether.session.SessionIds;
import dev.tether.session.SessionMetadata;
import dev.tether.session.Timestamps;
import dev.tether.session.Titles;
import dev.tether.session.Usage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the lines of one rollout, one at a time, into a session (spec §10.2–§10.4). It keeps only what the session
 * needs: header fields, the latest model and usage, the first title source, and the newest {@code maxMessages}
 * messages in a bounded deque, so memory does not grow with the file. Not thread-safe; one instance per file.
 */
final class RolloutMapper {

    private static final Pattern ENV_CWD = Pattern.compile("<cwd>(.*?)</cwd>", Pattern.DOTALL);

    private final ObjectMapper json;
    private final ResponseItems items;
    private final int maxMessages;
    private final ArrayDeque<Message> messages = new ArrayDeque<>();

    private long parsed;
    private long skipped;
    private long dropped;

    private String id;
    private Instant metaTimestamp;
    private String metaCwd;
    private Instant firstEnvelopeTs;
    private Instant maxEnvelopeTs;
    private String envCwd;
    private String model;
    private Usage usage;
    private String titleSource;

    RolloutMapper(ObjectMapper json, int maxMessages) {
        this.json = json;
        this.items = new ResponseItems(json);
        this.maxMessages = maxMessages;
    }

    /** Consumes one line of the file. Blank lines are ignored. */
    void accept(String line) {
        if (line.isBlank()) {
            return;
        }
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (IOException e) {
            skipped++;
            return;
        }
        try {
            if (node == null || !node.isObject()) {
                throw new BadLine();
            }
            if (node.has("payload")) {
                envelope(node);
            } else {
                legacy(node);
            }
            parsed++;
        } catch (BadLine e) {
            skipped++;
        }
    }

    /** Counts a line that exceeded the reader's length limit. */
    void skipOversized() {
        skipped++;
    }

    // ---- envelope format (§10.2) ----

    private void envelope(JsonNode node) throws BadLine {
        Instant ts = optionalTimestamp(node.get("timestamp"));
        String kind = text(node.get("type"));
        JsonNode payload = node.get("payload");
        switch (kind) {
            case "session_meta" -> sessionMeta(object(payload), payload.get("timestamp"));
            case "turn_context" -> turnContext(object(payload));
            case "response_item" -> responseItem(object(payload));
            case "event_msg" -> eventMsg(object(payload));
            default -> {
                // compacted and unknown kinds are deliberately ignored (the original items remain in the file)
            }
        }
        // only lines that were understood contribute their time
        if (ts != null) {
            if (firstEnvelopeTs == null) {
                firstEnvelopeTs = ts;
            }
            if (maxEnvelopeTs == null || ts.isAfter(maxEnvelopeTs)) {
                maxEnvelopeTs = ts;
            }
        }
    }

    private void sessionMeta(JsonNode payload, JsonNode timestamp) throws BadLine {
        String metaId = text(payload.get("id"));
        if (!SessionIds.isValid(metaId)) {
            throw new BadLine();
        }
        JsonNode cwd = payload.get("cwd");
        if (cwd != null && !cwd.isNull() && !cwd.isTextual()) {
            throw new BadLine();
        }
        if (id != null) {
            return; // the first one wins
        }
        id = metaId;
        metaTimestamp = lenientTimestamp(timestamp);
        metaCwd = cwd == null || cwd.isNull() || cwd.asText().isBlank() ? null : cwd.asText().trim();
    }

    private void turnContext(JsonNode payload) throws BadLine {
        JsonNode m = payload.get("model");
        if (m == null || m.isNull()) {
            return;
        }
        if (!m.isTextual()) {
            throw new BadLine();
        }
        if (!m.asText().isBlank()) {
            model = m.asText().trim();
        }
    }

    private void eventMsg(JsonNode payload) throws BadLine {
        String type = text(payload.get("type"));
        if (!type.equals("token_count")) {
            return; // user_message, agent_message, task_complete, ... duplicate response items
        }
        JsonNode info = payload.get("info");
        if (info == null || info.isNull()) {
            return;
        }
        JsonNode total = object(object(info).get("total_token_usage"));
        long input = count(total.get("input_tokens"));
        long output = count(total.get("output_tokens"));
        JsonNode cached = total.get("cached_input_tokens");
        Long cacheRead = cached == null || cached.isNull() ? null : count(cached);
        usage = Usage.of(input, output, cacheRead, null);
    }

    // ---- legacy format (§10.3) ----

    private void legacy(JsonNode node) throws BadLine {
        if ("state".equals(node.path("record_type").asText(null))) {
            return;
        }
        if (node.has("type")) {
            responseItem(node); // legacy items take the session timestamp: no time of their own
            return;
        }
        if (node.has("id")) {
            sessionMeta(node, node.get("timestamp"));
            return;
        }
        throw new BadLine();
    }

    // ---- response items (§10.2, §10.4) ----

    private void responseItem(JsonNode item) throws BadLine {
        Message message = items.map(item);
        if (message == null) {
            return;
        }
        if (message.role() == Role.USER) {
            observeUserTexts(message.content());
        }
        add(message);
    }

    /** The first title candidate and the {@code <environment_context>} directory of user texts. */
    private void observeUserTexts(List<ContentPart> parts) {
        for (ContentPart p : parts) {
            if (p instanceof ContentPart.Text t) {
                if (titleSource == null && Titles.isCandidate(t.text())) {
                    titleSource = t.text();
                }
                if (envCwd == null && t.text().contains("<environment_context>")) {
                    Matcher m = ENV_CWD.matcher(t.text());
                    if (m.find() && !m.group(1).isBlank()) {
                        envCwd = m.group(1).trim();
                    }
                }
            }
        }
    }

    private void add(Message message) {
        messages.addLast(message);
        if (messages.size() > maxMessages) {
            messages.removeFirst();
            dropped++;
        }
    }

    // ---- result ----

    /**
     * The session the lines describe, or a failed rollout when no usable session id was seen.
     *
     * @param path       the file, for the result
     * @param names      thread names; the index name (through {@code set_title}) wins over the heuristic title
     * @param fileTime   {@code created_at} of last resort, when neither the header nor any envelope has a time
     */
    Rollout finish(Path path, ThreadNames names, Instant fileTime) {
        trimOrphans();
        RolloutStats stats = new RolloutStats(parsed, skipped, dropped);
        String heuristic = titleSource == null ? null : Titles.heuristic(List.of(Message.userText(titleSource))).orElse(null);
        String directory = Directories.stored(metaCwd != null ? metaCwd : envCwd);
        if (id == null) {
            return new Rollout(path, null, heuristic, directory, stats, "no usable session id");
        }
        Instant created = metaTimestamp != null ? metaTimestamp : firstEnvelopeTs != null ? firstEnvelopeTs : fileTime;
        created = Timestamps.truncate(created);
        Instant updated = maxEnvelopeTs == null ? created : Timestamps.truncate(maxEnvelopeTs);
        if (updated.isBefore(created)) {
            updated = created; // updated_at never precedes created_at
        }
        SessionMetadata metadata = SessionMetadata.DEFAULT.withDirectory(directory).withModel(model);
        String title = names.lookup(id).map(Titles::settable).orElse(null);
        if (title == null) {
            title = heuristic;
        }
        Session session = new Session(id, title, created, updated, metadata, Session.DEFAULT_AGENT,
                new ArrayList<>(messages), List.of(), usage == null ? Usage.ZERO : usage);
        return new Rollout(path, session, heuristic, directory, stats, null);
    }

    /** After the cap cut the head, tool results at the new head whose call was cut are removed too (§10.4). */
    private void trimOrphans() {
        if (dropped == 0) {
            return;
        }
        Set<String> keptCalls = new HashSet<>();
        for (Message m : messages) {
            for (ContentPart.ToolCall c : m.toolCalls()) {
                keptCalls.add(c.id());
            }
        }
        while (!messages.isEmpty() && messages.peekFirst().role() == Role.TOOL
                && !keptCalls.contains(toolCallId(messages.peekFirst()))) {
            messages.removeFirst();
            dropped++;
        }
    }

    private static String toolCallId(Message m) {
        for (ContentPart p : m.content()) {
            if (p instanceof ContentPart.ToolResult r) {
                return r.toolCallId();
            }
        }
        return null;
    }
}
