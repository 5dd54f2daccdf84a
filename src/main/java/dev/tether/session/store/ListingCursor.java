package dev.tether.session.store;

import dev.tether.session.InvalidRequestException;
import dev.tether.session.SessionIds;
import dev.tether.session.SessionSummary;
import dev.tether.session.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The opaque listing cursor: base64url (no padding) of {@code <updated_at>|<id>} of the last entry returned. The next
 * page starts strictly after that position in the listing order, so new activity never shifts pages already read.
 */
record ListingCursor(Instant updatedAt, String id) {

    static ListingCursor after(SessionSummary last) {
        return new ListingCursor(last.updatedAt(), last.id());
    }

    String encode() {
        String raw = Timestamps.format(updatedAt) + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static ListingCursor decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            if (bar > 0 && SessionIds.isValid(raw.substring(bar + 1))) {
                return new ListingCursor(Timestamps.parse(raw.substring(0, bar)), raw.substring(bar + 1));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new InvalidRequestException("Malformed cursor: pass back the next_cursor of a previous page");
    }

    /** A summary standing for this position in the listing order (only {@code updated_at} and {@code id} set). */
    SessionSummary position() {
        return new SessionSummary(id, null, null, updatedAt, 0, null, null);
    }

    /** Whether {@code s} comes strictly after this position (updated_at descending, then id ascending). */
    boolean isBefore(SessionSummary s) {
        int c = s.updatedAt().compareTo(updatedAt);
        if (c != 0) {
            return c < 0;
        }
        return s.id().compareTo(id) > 0;
    }
}
