package dev.tether.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.session.Timestamps;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Codex thread names from {@code H/session_index.jsonl} (spec §10.1): lines {@code {"id", "thread_name",
 * "updated_at"}}; for each id the line with the newest {@code updated_at} wins. Bad lines are ignored: the index only
 * decorates titles and never fails an import.
 */
public final class ThreadNames {

    private static final Logger LOG = Logger.getLogger(ThreadNames.class);
    /** Index lines are short; anything longer is not an index entry. */
    private static final int MAX_LINE_CHARS = 1024 * 1024;

    private static final ThreadNames EMPTY = new ThreadNames(Map.of());

    private final Map<String, String> names;

    private ThreadNames(Map<String, String> names) {
        this.names = Map.copyOf(names);
    }

    /** No thread names. */
    public static ThreadNames none() {
        return EMPTY;
    }

    /** Fixed names by id (tests, callers that already know them). */
    public static ThreadNames of(Map<String, String> names) {
        return new ThreadNames(names);
    }

    /** Reads {@code codexHome/session_index.jsonl}; a missing or unreadable index gives no names. */
    public static ThreadNames load(Path codexHome, ObjectMapper json) {
        Path index = codexHome.resolve("session_index.jsonl");
        Map<String, String> names = new HashMap<>();
        Map<String, Instant> newest = new HashMap<>();
        try (BoundedLineReader lines = new BoundedLineReader(
                new InputStreamReader(Files.newInputStream(index), StandardCharsets.UTF_8), MAX_LINE_CHARS)) {
            for (String line = lines.next(); line != null; line = lines.next()) {
                if (line.isBlank() || lines.lastWasTooLong()) {
                    continue;
                }
                accept(line, json, names, newest);
            }
        } catch (NoSuchFileException e) {
            return EMPTY;
        } catch (IOException e) {
            LOG.warnf("cannot read Codex thread names from %s: %s", index, e.getMessage());
        }
        return new ThreadNames(names);
    }

    private static void accept(String line, ObjectMapper json, Map<String, String> names, Map<String, Instant> newest) {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (IOException e) {
            return;
        }
        if (node == null || !node.isObject() || !node.path("id").isTextual() || !node.path("thread_name").isTextual()) {
            return;
        }
        Instant at = Instant.MIN;
        if (node.path("updated_at").isTextual()) {
            try {
                at = Timestamps.parse(node.get("updated_at").asText());
            } catch (IllegalArgumentException e) {
                // an unparseable time ranks oldest; the name is still usable
            }
        }
        String id = node.get("id").asText();
        Instant seen = newest.get(id);
        // ">=": among equal times the later line wins, as an append-only index would intend
        if (seen == null || !at.isBefore(seen)) {
            newest.put(id, at);
            names.put(id, node.get("thread_name").asText());
        }
    }

    /** The thread name of a session, if the index has one. */
    public Optional<String> lookup(String id) {
        return Optional.ofNullable(names.get(id));
    }
}
