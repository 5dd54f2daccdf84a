package dev.tether.agent;

import dev.tether.config.TetherConfig;
import dev.tether.provider.ModelResolver;
import dev.tether.provider.ModelSelectors;
import dev.tether.provider.ResolvedModel;
import dev.tether.session.ContentPart;
import dev.tether.session.InvalidRequestException;
import dev.tether.session.Message;
import dev.tether.session.Role;
import dev.tether.session.Session;
import dev.tether.session.SessionIds;
import dev.tether.session.SessionMetadata;
import dev.tether.session.SessionNotFoundException;
import dev.tether.session.store.SessionStore;
import dev.tether.tool.WorkspaceRoot;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The preconditions of a prompt (spec §3.1), checked with no side effect: id, existence, message or images, image
 * limits, {@code max_steps}, the model override (shape and resolution), and the workspace confinement of the session's
 * directory (§4.5).
 */
@ApplicationScoped
public class PromptPreconditions {

    private final SessionStore store;
    private final ModelResolver models;
    private final WorkspaceRoot workspaceRoot;
    private final TetherConfig config;

    public PromptPreconditions(SessionStore store, ModelResolver models, WorkspaceRoot workspaceRoot,
                               TetherConfig config) {
        this.store = store;
        this.models = models;
        this.workspaceRoot = workspaceRoot;
        this.config = config;
    }

    /**
     * A prompt that passed the checks. {@code maxSteps}: the prompt's own limit, or {@code null} to use the
     * session's (else the default) at start.
     */
    record Checked(Message userMessage, ResolvedModel model, String modelOverride, Integer maxSteps) {
    }

    /** Throws the 400/403/404/503 problem of the first failed precondition. */
    Checked check(String sessionId, PromptRequest request) {
        requireExisting(sessionId);
        if (request.message().isBlank() && request.images().isEmpty()) {
            throw new InvalidRequestException("message must not be blank unless images are attached");
        }
        SessionMetadata.checkMaxSteps(request.maxSteps());
        List<ContentPart> parts = new ArrayList<>();
        if (!request.message().isBlank()) {
            parts.add(new ContentPart.Text(request.message()));
        }
        parts.addAll(ImageAttachments.toParts(request.images(), config.agent().maxImages(),
                config.agent().maxImageBytes()));
        Session stored = store.load(sessionId);
        requireConfined(stored);
        String override = ModelSelectors.requireValid(request.model());
        ResolvedModel model = override != null ? models.resolve(override)
                : models.resolve(stored.metadata().model());
        return new Checked(new Message(Role.USER, parts), model, override == null ? null : model.selector(),
                request.maxSteps());
    }

    /** A valid id (else 400) of a stored session (else 404). */
    void requireExisting(String sessionId) {
        SessionIds.require(sessionId);
        if (!store.exists(sessionId)) {
            throw new SessionNotFoundException(sessionId);
        }
    }

    /**
     * A turn runs only on a session whose directory's real path lies inside the workspace root's (§4.5), whatever it
     * was at creation or import; a session without a directory has no file tools, so nothing to confine.
     */
    void requireConfined(Session session) {
        String directory = session.metadata().directory();
        if (directory != null) {
            workspaceRoot.requireInside(directory);
        }
    }
}
