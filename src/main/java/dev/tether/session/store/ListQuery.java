package dev.tether.session.store;

import java.util.Optional;

/**
 * A listing request (spec §9): optional directory filter, page size 1–1000 (default 100), optional cursor naming the
 * last {@code (updated_at, id)} already returned.
 */
public record ListQuery(Optional<String> directory, int limit, Optional<String> cursor) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public static ListQuery all() {
        return new ListQuery(Optional.empty(), MAX_LIMIT, Optional.empty());
    }
}
