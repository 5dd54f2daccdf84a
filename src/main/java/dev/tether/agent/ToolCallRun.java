package dev.tether.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.session.Cancellation;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.ToolUse;
import dev.tether.tool.ArgumentValidator;
import dev.tether.tool.Tool;
import dev.tether.tool.ToolOutputs;
import dev.tether.tool.ToolResult;
import io.smallrye.mutiny.subscription.Cancellable;
import org.jboss.logging.Logger;

/**
 * One tool call on its way through the executor's pipeline (spec §4.3); state transitions are guarded by the object's
 * monitor. Resolved exactly once ({@link State#DONE}), by its worker, the orchestrator or a give-up.
 */
final class ToolCallRun {

    private static final Logger LOG = Logger.getLogger(ToolCallRun.class);

    enum State { NEW, RUNNING, DONE }

    final ContentPart.ToolCall call;
    final String name;
    final Tool tool;
    final ObjectNode arguments;
    final String invalidMessage;
    State state = State.NEW;
    /** The thread running the tool while {@link State#RUNNING}: interrupted on cancellation. */
    Thread worker;
    /** The {@code tool_heartbeat} ticks while the tool runs. */
    Cancellable heartbeat;
    long beats;
    /** Whether {@code tool_call_start} was emitted (then {@code tool_call_complete} is owed). */
    boolean started;
    ToolResult result;
    ToolCallOutcome.Status status;

    ToolCallRun(ContentPart.ToolCall call, ArgumentValidator.Result validation) {
        this.call = call;
        this.name = call.name() == null ? "" : call.name();
        if (validation instanceof ArgumentValidator.Valid valid) {
            this.tool = valid.tool();
            this.arguments = valid.arguments();
            this.invalidMessage = null;
        } else {
            this.tool = null;
            this.arguments = null;
            this.invalidMessage = ((ArgumentValidator.Invalid) validation).message();
        }
    }

    /** Validation failures are scheduled like read-only calls (§4.2). */
    boolean readOnly() {
        return tool == null || tool.readOnly();
    }

    /** Interrupts the tool's thread if it is running. */
    synchronized void interrupt() {
        if (state == State.RUNNING && worker != null) {
            worker.interrupt();
        }
    }

    /**
     * The resolved call as the transcript stores it: a completed call's output routed (unless the turn was cancelled
     * meanwhile), capped and wrapped in the feedback envelope.
     */
    ToolCallOutcome outcome(OutputRouter router, boolean cancelled) {
        String raw = result.output();
        String output = raw;
        if (status == ToolCallOutcome.Status.COMPLETED && !cancelled) {
            try {
                output = router.route(call, tool, raw);
            } catch (Cancellation.CancelledException e) {
                output = raw; // cancelled meanwhile: finished calls keep their real result, unrouted
            } catch (RuntimeException e) {
                LOG.warnf("routing the output of %s failed; the output is kept as it is: %s", name, e.toString());
                output = raw;
            }
            if (output == null) {
                output = raw;
            }
        }
        String body = ToolOutputs.storedBody(name, output);
        boolean success = result.success();
        Message message = Message.toolResult(call.id(), ToolOutputs.envelope(name, success, body));
        ToolUse use = new ToolUse(call.id(), name, call.arguments(), body, success);
        return new ToolCallOutcome(call, message, use, status, raw);
    }
}
