package dev.tether.agent;

import dev.tether.provider.ModelSelectors;
import dev.tether.session.InvalidRequestException;
import dev.tether.session.Session;
import dev.tether.session.SessionMetadata;
import dev.tether.session.Titles;
import dev.tether.tool.WorkspaceRoot;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Builds new sessions from create requests (spec §9 create): the title (at most {@value Titles#MAX_SET_CHARS}
 * characters) goes through {@code set_title}; the directory
 * defaults to the workspace root, is canonicalised when it exists and must lie inside {@code tether.workspace.root};
 * the agent and model are checked for shape (the model is resolved against providers elsewhere).
 */
@ApplicationScoped
public class SessionFactory {

    private static final Pattern AGENT = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final WorkspaceRoot workspaceRoot;

    public SessionFactory(WorkspaceRoot workspaceRoot) {
        this.workspaceRoot = workspaceRoot;
    }

    public Session newSession(CreateSessionRequest request, Instant now) {
        CreateSessionRequest r = request == null ? CreateSessionRequest.EMPTY : request;
        SessionMetadata metadata = SessionMetadata.DEFAULT.withDirectory(directory(r.directory()))
                .withModel(ModelSelectors.requireValid(r.model()))
                .withMaxSteps(SessionMetadata.checkMaxSteps(r.maxSteps()));
        return Session.create(Titles.requireWithinLimit(r.title()), agent(r.agent()), metadata, now);
    }

    private static String agent(String agent) {
        if (agent == null) {
            return null;
        }
        if (!AGENT.matcher(agent).matches()) {
            throw new InvalidRequestException("agent must be 1-64 characters of [A-Za-z0-9_.-]");
        }
        return agent;
    }

    /**
     * The one check of a requested directory, for create and PATCH: absent → the workspace root; otherwise resolved
     * against the root, canonicalised, and required to lie inside it. Returns the path to store.
     */
    public String directory(String directory) {
        Path root = workspaceRoot.real();
        if (directory == null) {
            return root.toString();
        }
        if (directory.isBlank()) {
            throw new InvalidRequestException("directory must not be blank");
        }
        Path p;
        try {
            p = root.resolve(directory).normalize();
        } catch (InvalidPathException e) {
            throw new InvalidRequestException("directory is not a valid path");
        }
        if (Files.exists(p) && !Files.isDirectory(p)) {
            throw new InvalidRequestException("directory is not a directory");
        }
        // resolved through every symlink on the way, dangling ones included, so a not-yet-created directory cannot
        // be led out of the workspace; it is checked again at every use (§4.5)
        return workspaceRoot.realInside(p)
                .orElseThrow(() -> new InvalidRequestException("directory must lie inside the workspace root"))
                .toString();
    }
}
