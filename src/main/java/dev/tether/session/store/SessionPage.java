package dev.tether.session.store;

import dev.tether.session.InvalidRequestException;
import dev.tether.session.SessionSummary;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** One page of a listing; {@code nextCursor} is null on the last page. */
public record SessionPage(List<SessionSummary> sessions, String nextCursor) {

    /** Rejects a page size outside 1–1000 and a malformed cursor. */
    public static void validate(ListQuery query) {
        if (query.limit() < 1 || query.limit() > ListQuery.MAX_LIMIT) {
            throw new InvalidRequestException("limit must be between 1 and " + ListQuery.MAX_LIMIT);
        }
        query.cursor().filter(c -> !c.isEmpty()).ifPresent(ListingCursor::decode);
    }

    /**
     * The page of {@code sorted} (already filtered, in listing order) that starts strictly after the query's cursor,
     * with a cursor for the next page when more entries follow.
     */
    public static SessionPage of(List<SessionSummary> sorted, ListQuery query) {
        validate(query);
        Optional<ListingCursor> cursor = query.cursor().filter(c -> !c.isEmpty()).map(ListingCursor::decode);
        Iterator<SessionSummary> rest = cursor.isEmpty() ? sorted.iterator()
                : sorted.stream().filter(cursor.get()::isBefore).iterator();
        return first(rest, query.limit());
    }

    /**
     * The first {@code limit} summaries of {@code rest} (in listing order, already after the cursor), with a cursor
     * for the next page when more follow.
     */
    static SessionPage first(Iterator<SessionSummary> rest, int limit) {
        List<SessionSummary> page = new ArrayList<>(Math.min(limit, 128));
        while (rest.hasNext()) {
            SessionSummary s = rest.next();
            if (page.size() == limit) {
                return new SessionPage(List.copyOf(page), ListingCursor.after(page.get(limit - 1)).encode());
            }
            page.add(s);
        }
        return new SessionPage(List.copyOf(page), null);
    }
}
