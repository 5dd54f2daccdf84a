package dev.tether.session.store;

import dev.tether.session.SessionSummary;
import java.util.List;

/** One page of a listing; {@code nextCursor} is null on the last page. */
public record SessionPage(List<SessionSummary> sessions, String nextCursor) {
}
