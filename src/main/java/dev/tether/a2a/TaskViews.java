package dev.tether.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.agent.RecordedTurns.RecordedTurn;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.SessionResult;
import dev.tether.session.TerminalReason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Tasks as A2A sees them, built from what the session's journal recorded for the turn (spec §14.2): the history is
 * the turn's transcript (user message as {@code user}; the model's text, tool calls and tool results as {@code agent}
 * text and data parts), the answer is the artifact {@code answer}, the state follows the turn's terminal reason.
 */
final class TaskViews {

    static final String ANSWER = "answer";
    /** The status message of a task whose turn never recorded a result (the service stopped while it ran). */
    static final String INTERRUPTED = "The turn was interrupted: the service stopped before it ended";

    private final ObjectMapper mapper;

    TaskViews(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A task whose turn ended with {@code result}. */
    A2aTask ended(TaskIds.TaskId id, List<Message> messages, SessionResult result, Integer historyLength) {
        A2aTask.State state = state(result.terminalReason());
        A2aMessage statusMessage = state == A2aTask.State.FAILED ? A2aMessage.agent(id.value() + "-status",
                id.value(), id.sessionId(), List.of(Part.Text.of(failure(result)))) : null;
        ObjectNode metadata = mapper.createObjectNode();
        metadata.putObject("tether").put("terminal_reason", result.terminalReason().name().toLowerCase(Locale.ROOT))
                .put("steps", result.steps());
        return new A2aTask(id.value(), id.sessionId(), new A2aTask.TaskStatus(state, statusMessage, null),
                history(id, messages, historyLength), answer(id, result).map(List::of).orElse(List.of()), metadata);
    }

    /** A task whose turn has not ended, with its history so far. */
    A2aTask running(TaskIds.TaskId id, List<A2aMessage> history, A2aTask.State state, Integer historyLength) {
        return new A2aTask(id.value(), id.sessionId(), new A2aTask.TaskStatus(state, null, null),
                last(history, historyLength), List.of(), null);
    }

    /** A task from its journal record: ended, or (no result recorded, and not running here) cut short by a stop. */
    A2aTask recorded(TaskIds.TaskId id, RecordedTurn turn, Integer historyLength) {
        SessionResult result = turn.turn().hasEnded() ? turn.turn().result()
                : new SessionResult("", id.sessionId(), TerminalReason.ERROR, 0, null, INTERRUPTED);
        return ended(id, turn.messages(), result, historyLength);
    }

    static A2aTask.State state(TerminalReason reason) {
        return switch (reason) {
            case COMPLETED -> A2aTask.State.COMPLETED;
            case ABORTED -> A2aTask.State.CANCELED;
            case MAX_STEPS, ERROR -> A2aTask.State.FAILED;
        };
    }

    private static String failure(SessionResult result) {
        return result.terminalReason() == TerminalReason.MAX_STEPS
                ? "The turn reached its step limit (max_steps = " + result.steps() + ") before the model answered"
                : result.error() == null ? "The turn failed" : result.error();
    }

    /** The artifact {@code answer} holding the turn's final text, when there is one. */
    Optional<A2aTask.Artifact> answer(TaskIds.TaskId id, SessionResult result) {
        if (result.text().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new A2aTask.Artifact(id.value() + "-" + ANSWER, ANSWER,
                "The agent's answer", List.of(Part.Text.of(result.text()))));
    }

    /** The last {@code historyLength} messages of the turn (all without a limit). */
    List<A2aMessage> history(TaskIds.TaskId id, List<Message> messages, Integer historyLength) {
        List<A2aMessage> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            A2aMessage m = message(id, i, messages.get(i));
            if (m != null) {
                out.add(m);
            }
        }
        return last(out, historyLength);
    }

    private static List<A2aMessage> last(List<A2aMessage> history, Integer historyLength) {
        if (historyLength != null && historyLength < history.size()) {
            return List.copyOf(history.subList(history.size() - historyLength, history.size()));
        }
        return history;
    }

    /** One transcript message as an A2A message; null for what A2A has no place for (reasoning only, system). */
    private A2aMessage message(TaskIds.TaskId id, int index, Message message) {
        String role = switch (message.role()) {
            case USER -> A2aMessage.USER;
            case ASSISTANT, TOOL -> A2aMessage.AGENT;
            case SYSTEM, DEVELOPER -> null;
        };
        if (role == null) {
            return null;
        }
        List<Part> parts = new ArrayList<>();
        for (ContentPart part : message.content()) {
            Part p = part(part);
            if (p != null) {
                parts.add(p);
            }
        }
        return parts.isEmpty() ? null
                : new A2aMessage(role, parts, id.value() + "-" + index, id.value(), id.sessionId(), null);
    }

    private Part part(ContentPart part) {
        if (part instanceof ContentPart.Text t) {
            return Part.Text.of(t.text());
        }
        if (part instanceof ContentPart.Image image) {
            return image(image);
        }
        if (part instanceof ContentPart.ToolCall call) {
            return toolCall(call.id(), call.name(), call.arguments());
        }
        if (part instanceof ContentPart.ToolResult r) {
            ObjectNode data = mapper.createObjectNode().put("type", "tool_result").put("tool_call_id", r.toolCallId())
                    .put("content", r.content());
            return Part.Data.of(data);
        }
        return null; // reasoning and file references stay in the session
    }

    /** A tool call as a data part: {@code {type: tool_call, tool_call_id, name, arguments}}. */
    Part.Data toolCall(String toolCallId, String name, String arguments) {
        ObjectNode data = mapper.createObjectNode().put("type", "tool_call").put("tool_call_id", toolCallId)
                .put("name", name);
        JsonNode parsed;
        try {
            parsed = mapper.readTree(arguments);
        } catch (IOException | RuntimeException e) {
            parsed = null;
        }
        if (parsed == null || parsed.isMissingNode()) {
            data.put("arguments", arguments); // as the model sent it, when that is not JSON
        } else {
            data.set("arguments", parsed);
        }
        return Part.Data.of(data);
    }

    private static Part image(ContentPart.Image image) {
        String url = image.url() == null ? "" : image.url();
        if (url.startsWith("data:")) {
            int comma = url.indexOf(',');
            String mime = image.mimeType() != null ? image.mimeType() : url.substring(5, Math.max(5, url.indexOf(';')));
            return new Part.File(new Part.FileContent(null, mime, comma < 0 ? "" : url.substring(comma + 1), null),
                    null);
        }
        return new Part.File(new Part.FileContent(null, image.mimeType(), null, url), null);
    }
}
