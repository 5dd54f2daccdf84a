package dev.tether.context;

/** The tool-result feedback envelope of spec §4.4, for the synthetic results made by pairing repair. */
final class Feedback {

    static final String FAILURE_HINT = "- hint: the call failed; read the error, fix the arguments or the approach, "
            + "and do not repeat the same call unchanged.";

    private Feedback() {
    }

    static String failure(String tool, String body) {
        return "Tool call feedback\n- tool: " + tool + "\n- status: failure\n" + FAILURE_HINT + "\n\nOutput:\n" + body;
    }
}
