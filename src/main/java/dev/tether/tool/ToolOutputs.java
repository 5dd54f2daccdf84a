package dev.tether.tool;

/**
 * Rendering of tool outputs and the payload caps of spec §4.4: the stored body (4096 bytes + digest marker), the
 * feedback envelope stored as {@code tool_result.content} (also for the synthetic results of context repair), and the
 * caps of event payloads. All sizes are UTF-8 bytes ({@link Utf8}) and every cut keeps whole characters.
 */
public final class ToolOutputs {

    /** Bytes of a stored result body before the digest marker. */
    public static final int STORED_BODY_BYTES = 4096;
    /** Cap of {@code tool_call_start.arguments}. */
    public static final int EVENT_ARGUMENTS_BYTES = 4096;
    /** Cap of {@code tool_call_complete.output}. */
    public static final int EVENT_OUTPUT_BYTES = 8192;
    /** Cap of {@code text_chunk.text}. */
    public static final int EVENT_TEXT_BYTES = 262_144;
    /** Body stored for a blank output. */
    public static final String EMPTY_OUTPUT = "<empty tool output>";
    /** Line added to the envelope of a failed call. */
    public static final String FAILURE_HINT =
            "- hint: the call failed; read the error, fix the arguments or the approach, and do not repeat the same call unchanged.";

    private ToolOutputs() {
    }

    /**
     * The stored body of a result: the (possibly routed) output cut to 4096 bytes with the digest marker when longer;
     * {@code <empty tool output>} when blank.
     */
    public static String storedBody(String toolName, String output) {
        if (output == null || output.isBlank()) {
            return EMPTY_OUTPUT;
        }
        long size = Utf8.bytes(output);
        if (size <= STORED_BODY_BYTES) {
            return output;
        }
        return Utf8.prefix(output, STORED_BODY_BYTES) + "\n[digest: " + toolName + " output was " + size
                + " bytes; only the first " + STORED_BODY_BYTES + " bytes are kept]";
    }

    /** The feedback envelope stored as {@code tool_result.content}; failures carry the hint line. */
    public static String envelope(String toolName, boolean success, String body) {
        StringBuilder sb = new StringBuilder(body.length() + 200);
        sb.append("Tool call feedback\n- tool: ").append(toolName)
                .append("\n- status: ").append(success ? "success" : "failure").append('\n');
        if (!success) {
            sb.append(FAILURE_HINT).append('\n');
        }
        sb.append("\nOutput:\n").append(body);
        return sb.toString();
    }

    /** {@code tool_call_start.arguments}, capped at 4096 bytes. */
    public static String eventArguments(String arguments) {
        return capForEvent(arguments, EVENT_ARGUMENTS_BYTES);
    }

    /** {@code tool_call_complete.output}, capped at 8192 bytes. */
    public static String eventOutput(String output) {
        return capForEvent(output, EVENT_OUTPUT_BYTES);
    }

    /** {@code text_chunk.text}, capped at 262,144 bytes. */
    public static String eventText(String text) {
        return capForEvent(text, EVENT_TEXT_BYTES);
    }

    /** Cuts {@code value} to {@code maxBytes} (UTF-8 safe) and appends {@code  …[truncated, <N> bytes total]} when over. */
    public static String capForEvent(String value, int maxBytes) {
        if (value == null) {
            return "";
        }
        long size = Utf8.bytes(value);
        if (size <= maxBytes) {
            return value;
        }
        return Utf8.prefix(value, maxBytes) + " …[truncated, " + size + " bytes total]";
    }
}
