package dev.tether.importer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.session.Timestamps;
import java.time.Instant;

/** Typed reads of rollout fields (spec §10.2–§10.3): a field of the wrong type makes its line a {@link BadLine}. */
final class RolloutFields {

    /** A line that is not understood: skipped and counted, never fatal. No stack trace: it is control flow. */
    static final class BadLine extends Exception {
        BadLine() {
            super(null, null, false, false);
        }
    }

    private RolloutFields() {
    }

    static String text(JsonNode n) throws BadLine {
        if (n == null || !n.isTextual()) {
            throw new BadLine();
        }
        return n.asText();
    }

    static JsonNode object(JsonNode n) throws BadLine {
        if (n == null || !n.isObject()) {
            throw new BadLine();
        }
        return n;
    }

    /** A field that is there and not null. */
    static JsonNode present(JsonNode n) throws BadLine {
        if (n == null || n.isNull()) {
            throw new BadLine();
        }
        return n;
    }

    static long count(JsonNode n) throws BadLine {
        if (n == null || !n.canConvertToLong() || !n.isIntegralNumber()) {
            throw new BadLine();
        }
        return n.asLong();
    }

    /** An envelope time: absent is fine, a non-string is a bad line, an unparseable string is ignored. */
    static Instant optionalTimestamp(JsonNode n) throws BadLine {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new BadLine();
        }
        return lenientTimestamp(n);
    }

    static Instant lenientTimestamp(JsonNode n) {
        if (n == null || !n.isTextual()) {
            return null;
        }
        try {
            return Timestamps.parse(n.asText());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
