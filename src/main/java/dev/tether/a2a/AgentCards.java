package dev.tether.a2a;

import java.util.List;
import java.util.Map;

/** Builds the agent card (spec §14.1) for the endpoint URL a client reached the service by. */
final class AgentCards {

    static final String PROTOCOL_VERSION = "0.3.0";
    static final String BEARER = "bearer";
    private static final List<String> INPUT_MODES = List.of("text/plain", "application/json", "image/png",
            "image/jpeg", "image/gif", "image/webp");
    private static final List<String> OUTPUT_MODES = List.of("text/plain", "application/json");

    private AgentCards() {
    }

    static AgentCard card(String endpointUrl, String version, boolean tokenRequired) {
        AgentCard.Skill turn = new AgentCard.Skill("agent-turn", "Run an agent turn in a workspace",
                "Runs one turn of a coding agent in a session (the A2A context): the model reads, searches and edits "
                        + "files of the session's workspace directory with tools until it answers. Tool calls are "
                        + "reported as working status updates with data parts; the answer is the artifact 'answer'.",
                List.of("agent", "coding", "workspace", "tools"),
                List.of("List the files in the current directory", "Summarise README.md"), INPUT_MODES, OUTPUT_MODES);
        Map<String, AgentCard.SecurityScheme> schemes = tokenRequired ? Map.of(BEARER,
                new AgentCard.SecurityScheme("http", "bearer", "The service's bearer token (tether.auth.token)"))
                : null;
        List<Map<String, List<String>>> security = tokenRequired ? List.of(Map.of(BEARER, List.of())) : null;
        return new AgentCard(PROTOCOL_VERSION, "Tether", "Agent-session runtime: runs LLM coding-agent sessions with "
                + "durable journals; each task is one turn of the agentic loop in a session.", endpointUrl,
                "JSONRPC", version, new AgentCard.Capabilities(true, false, false), INPUT_MODES, OUTPUT_MODES,
                List.of(turn), schemes, security, false);
    }
}
