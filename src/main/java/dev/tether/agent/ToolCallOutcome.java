package dev.tether.agent;

import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.ToolUse;

/**
 * The resolution of one tool call: the {@code tool} message to append (its result wrapped in the feedback envelope)
 * and the {@link ToolUse} record (arguments as received, stored body without the envelope).
 *
 * @param call      the call, as the assistant message holds it
 * @param message   the {@code tool} message with the one {@code tool_result} of the call
 * @param toolUse   the record for {@code Session.tool_uses}
 * @param status    how the call ended
 * @param rawOutput the tool's output before routing and capping (what {@code tool_call_complete} carried, uncapped)
 */
public record ToolCallOutcome(ContentPart.ToolCall call, Message message, ToolUse toolUse, Status status,
                              String rawOutput) {

    /** How a call ended. */
    public enum Status {
        /** The tool ran to its end (successfully or not). */
        COMPLETED,
        /** Rejected before running (§3.6): unknown tool or invalid arguments. */
        INVALID,
        /** Running when the turn was cancelled. */
        ABORTED,
        /** Not started when the turn was cancelled. */
        NOT_EXECUTED
    }

    public boolean success() {
        return toolUse.success();
    }
}
