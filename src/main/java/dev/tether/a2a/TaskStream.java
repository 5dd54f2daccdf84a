package dev.tether.a2a;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.event.BusEvent;
import dev.tether.event.SessionEvent;
import dev.tether.session.SessionResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The A2A stream events of one turn's session events (spec §14.2): each tool call start and end is a
 * {@code working} status update whose message holds a data part ({@code tool_call} / {@code tool_result}); the
 * terminal event becomes the {@code answer} artifact (when the turn has text) and the final status update.
 */
final class TaskStream {

    private final TaskViews views;
    private final ObjectMapper mapper;

    TaskStream(TaskViews views, ObjectMapper mapper) {
        this.views = views;
        this.mapper = mapper;
    }

    /** The status update of a task that began or is still running, with an optional message. */
    static StreamEvent.StatusUpdate status(TaskIds.TaskId id, A2aTask.State state, A2aMessage message) {
        return new StreamEvent.StatusUpdate(id.value(), id.sessionId(),
                new A2aTask.TaskStatus(state, message, Instant.now().toString()), state.isFinal());
    }

    /** What {@code event} of the task's turn means to an A2A client; empty for events it has no use for. */
    List<StreamEvent> map(TaskIds.TaskId id, BusEvent event) {
        SessionEvent e = event.event();
        if (e instanceof SessionEvent.ToolCallStart start) {
            return List.of(working(id, event, views.toolCall(start.toolCallId(), start.name(), start.arguments())));
        }
        if (e instanceof SessionEvent.ToolCallComplete done) {
            Part.Data data = Part.Data.of(mapper.createObjectNode().put("type", "tool_result")
                    .put("tool_call_id", done.toolCallId()).put("name", done.name()).put("success", done.success())
                    .put("content", done.output()));
            return List.of(working(id, event, data));
        }
        if (e instanceof SessionEvent.Done d) {
            return ended(id, d.result());
        }
        if (e instanceof SessionEvent.Error err) {
            return ended(id, err.result());
        }
        return List.of();
    }

    /** The artifact (if any) and final status update of a turn that ended with {@code result}. */
    List<StreamEvent> ended(TaskIds.TaskId id, SessionResult result) {
        List<StreamEvent> out = new ArrayList<>();
        views.answer(id, result).ifPresent(a -> out.add(new StreamEvent.ArtifactUpdate(id.value(), id.sessionId(), a,
                false, true)));
        A2aTask ended = views.ended(id, List.of(), result, 0);
        out.add(status(id, ended.status().state(), ended.status().message()));
        return out;
    }

    private static StreamEvent working(TaskIds.TaskId id, BusEvent event, Part part) {
        String messageId = id.value() + "-event-" + (event.seq() == null ? Instant.now().toEpochMilli() : event.seq());
        return status(id, A2aTask.State.WORKING, A2aMessage.agent(messageId, id.value(), id.sessionId(),
                List.of(part)));
    }
}
