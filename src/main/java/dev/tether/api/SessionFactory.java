package dev.tether.api;

import dev.tether.config.TetherConfig;
import dev.tether.provider.ModelSelectors;
import dev.tether.session.InvalidRequestException;
import dev.tether.session.Session;
import dev.tether.session.SessionMetadata;
import dev.tether.session.Titles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
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

    private final Path workspaceRoot;

    @Inject
    public SessionFactory(TetherConfig config) {
        this(Path.of(config.workspace().root().orElse("")));
    }

    public SessionFactory(Path workspaceRoot) {
        Path root = workspaceRoot.toAbsolutePath().normalize();
        this.workspaceRoot = realOrSelf(root);
    }

    /** The canonical workspace root new sessions must lie in. */
    public Path workspaceRoot() {
        return workspaceRoot;
    }

    public Session newSession(CreateSessionRequest request, Instant now) {
        CreateSessionRequest r = request == null ? CreateSessionRequest.EMPTY : request;
        SessionMetadata metadata = SessionMetadata.DEFAULT.withDirectory(directory(r.directory()))
                .withModel(ModelSelectors.requireValid(r.model()));
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

    private String directory(String directory) {
        if (directory == null) {
            return workspaceRoot.toString();
        }
        if (directory.isBlank()) {
            throw new InvalidRequestException("directory must not be blank");
        }
        Path p;
        try {
            p = workspaceRoot.resolve(directory).normalize();
        } catch (InvalidPathException e) {
            throw new InvalidRequestException("directory is not a valid path");
        }
        if (Files.exists(p) && !Files.isDirectory(p)) {
            throw new InvalidRequestException("directory is not a directory");
        }
        Path resolved = resolveThroughExistingAncestor(p);
        if (!resolved.startsWith(workspaceRoot)) {
            throw new InvalidRequestException("directory must lie inside the workspace root");
        }
        return resolved.toString();
    }

    /**
     * The canonical form of {@code p} when it exists; otherwise its deepest existing ancestor canonicalised plus the
     * rest, so a symlink on the way cannot lead a not-yet-created directory out of the workspace.
     */
    private static Path resolveThroughExistingAncestor(Path p) {
        Path existing = p;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return p;
        }
        return realOrSelf(existing).resolve(existing.relativize(p)).normalize();
    }

    private static Path realOrSelf(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }
}
