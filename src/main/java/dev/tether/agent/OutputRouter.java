package dev.tether.agent;

import dev.tether.session.ContentPart;
import dev.tether.tool.Tool;

/**
 * Hook applied to a finished call's raw output before it is stored (spec §4.3 step 5): RLM routing of bulk outputs
 * (§7.2) plugs in here. It is called synchronously, in call order, once the call's group has finished, and never for
 * calls that failed validation, were aborted or did not run. It may throw {@link
 * dev.tether.session.Cancellation.CancelledException} when the turn is cancelled meanwhile; the raw output is then
 * kept.
 */
@FunctionalInterface
public interface OutputRouter {

    /** Returns the output to store (possibly a summary of {@code output}). */
    String route(ContentPart.ToolCall call, Tool tool, String output);

    /** Stores every output as it is. */
    OutputRouter IDENTITY = (call, tool, output) -> output;
}
