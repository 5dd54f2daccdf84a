package dev.tether.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.agent.SessionEdit;
import dev.tether.session.InvalidRequestException;
import dev.tether.session.Titles;
import dev.tether.session.SessionMetadata;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads the body of {@code PATCH /api/sessions/{id}} (JSON merge-patch style): a field that is absent stays as it
 * is; {@code "title": null} clears the title and {@code "max_steps": null} removes the session's step limit. Values
 * are checked as on create; anything else is a 400 problem, so a misspelt field never passes silently.
 */
final class SessionPatch {

    static final String MERGE_PATCH_JSON = "application/merge-patch+json";
    private static final Set<String> FIELDS = Set.of("title", "max_steps", "directory");

    private SessionPatch() {
    }

    static SessionEdit parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException("The body must be a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (!FIELDS.contains(name)) {
                throw new InvalidRequestException("Unknown field '" + name + "'; a session's title, max_steps and "
                        + "directory can be changed");
            }
        }
        return new SessionEdit(title(body.get("title")), maxSteps(body.get("max_steps")),
                directory(body.get("directory")));
    }

    private static SessionEdit.Change<String> title(JsonNode n) {
        if (n == null) {
            return null;
        }
        if (!n.isNull() && !n.isTextual()) {
            throw new InvalidRequestException("title must be a string or null");
        }
        return new SessionEdit.Change<>(n.isNull() ? null : Titles.requireWithinLimit(n.asText()));
    }

    private static SessionEdit.Change<Integer> maxSteps(JsonNode n) {
        if (n == null) {
            return null;
        }
        if (n.isNull()) {
            return new SessionEdit.Change<>(null);
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new InvalidRequestException("max_steps must be an integer between 1 and "
                    + SessionMetadata.MAX_STEPS_LIMIT);
        }
        return new SessionEdit.Change<>(SessionMetadata.checkMaxSteps(n.intValue()));
    }

    private static String directory(JsonNode n) {
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw new InvalidRequestException("directory must be a string");
        }
        return n.asText();
    }
}
