package dev.tether.agent;

import dev.tether.config.TetherConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Builds the system prompt of a request (spec §3.3): the agent's instructions (configurable per agent name) plus the
 * workspace directory. Never stored; rebuilt for every request.
 */
@ApplicationScoped
public class SystemPrompts {

    static final String BUILD_INSTRUCTIONS = """
            You are a careful software engineering agent working in the user's workspace.
            Use the tools to inspect and change files; read before you edit, keep changes minimal, and verify them.
            When a tool call fails, read the error and change your approach instead of repeating the call.
            When the task is done, answer concisely with what you found or changed.""";

    private final TetherConfig config;

    public SystemPrompts(TetherConfig config) {
        this.config = config;
    }

    public String forAgent(String agent, String directory) {
        String instructions = config.agent().instructions().getOrDefault(agent, BUILD_INSTRUCTIONS);
        StringBuilder sb = new StringBuilder(instructions.strip());
        sb.append("\n\nWorkspace directory: ").append(directory == null ? "(none)" : directory);
        sb.append("\nAll file paths are relative to the workspace directory and must stay inside it.");
        return sb.toString();
    }
}
