package dev.tether.tool;

/**
 * An expected failure of a built-in tool (missing file, path outside the workspace, no match, ...). Its message is
 * the failing result's output verbatim, without the {@code Error: } prefix given to unexpected exceptions.
 */
public class ToolFailure extends Exception {

    public ToolFailure(String message) {
        super(message, null, false, false);
    }
}
