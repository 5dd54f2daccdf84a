package dev.tether.session.store;

import dev.tether.session.InvalidRequestException;
import dev.tether.session.SessionSummary;
import java.util.ArrayList;
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
        List<SessionSummary> page = new ArrayList<>(Math.min(query.limit(), sorted.size()));
        boolean more = false;
        for (SessionSummary s : sorted) {
            if (cursor.isPresent() && !cursor.get().isBefore(s)) {
                continue;
            }
            if (page.size() == query.limit()) {
                more = true;
                break;
            }
            page.add(s);
        }
        String next = more ? ListingCursor.after(page.get(page.size() - 1)).encode() : null;
        return new SessionPage(List.copyOf(page), next);
    }
}
