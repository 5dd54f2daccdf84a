package dev.tether.session.store;

import dev.tether.session.SessionSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The listing queries of the PostgreSQL store (timed as {@code list}): pages in listing order, all, the count. */
record PgListing(PgJdbc jdbc, StoreMetrics metrics) {

    private static final String SUMMARY_COLUMNS = "id, title, created_at, updated_at, message_count, agent, directory";

    SessionPage page(ListQuery query) {
        SessionPage.validate(query);
        Optional<ListingCursor> cursor = query.cursor().filter(c -> !c.isEmpty()).map(ListingCursor::decode);
        return metrics.time(StoreMetrics.Op.LIST, () -> jdbc.transaction("Cannot list sessions", c -> {
            List<String> directories = null;
            if (query.directory().filter(d -> !d.isBlank()).isPresent()) {
                directories = matchingDirectories(c, new DirectoryMatch(query.directory().get()));
                if (directories.isEmpty()) {
                    return new SessionPage(List.of(), null);
                }
            }
            List<SessionSummary> rows = summaries(c, directories, cursor, query.limit() + 1);
            boolean more = rows.size() > query.limit();
            List<SessionSummary> page = more ? rows.subList(0, query.limit()) : rows;
            String next = more ? ListingCursor.after(page.get(page.size() - 1)).encode() : null;
            return new SessionPage(List.copyOf(page), next);
        }));
    }

    List<SessionSummary> all() {
        return metrics.time(StoreMetrics.Op.LIST, () -> jdbc.transaction("Cannot list sessions",
                c -> summaries(c, null, Optional.empty(), Integer.MAX_VALUE)));
    }

    int count() {
        return jdbc.transaction("Cannot count sessions", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM sessions");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    private static List<String> matchingDirectories(Connection c, DirectoryMatch match) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT directory FROM sessions WHERE directory IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (match.matches(rs.getString(1))) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Summaries in listing order after {@code cursor}, at most {@code limit}, of {@code directories} when given. */
    private static List<SessionSummary> summaries(Connection c, List<String> directories,
                                                  Optional<ListingCursor> cursor, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + SUMMARY_COLUMNS + " FROM sessions WHERE true");
        if (directories != null) {
            sql.append(" AND directory = ANY (?)");
        }
        if (cursor.isPresent()) {
            sql.append(" AND (updated_at < ? OR (updated_at = ? AND id > ?))");
        }
        sql.append(" ORDER BY updated_at DESC, id");
        if (limit < Integer.MAX_VALUE) {
            sql.append(" LIMIT ").append(limit);
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            if (directories != null) {
                ps.setArray(i++, c.createArrayOf("text", directories.toArray()));
            }
            if (cursor.isPresent()) {
                PgJdbc.set(ps, i++, cursor.get().updatedAt());
                PgJdbc.set(ps, i++, cursor.get().updatedAt());
                ps.setString(i, cursor.get().id());
            }
            List<SessionSummary> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SessionSummary(rs.getString("id"), rs.getString("title"),
                            PgJdbc.instant(rs, "created_at"), PgJdbc.instant(rs, "updated_at"),
                            rs.getInt("message_count"), rs.getString("agent"), rs.getString("directory")));
                }
            }
            return out;
        }
    }
}
