package dev.tether.importer;

import dev.tether.session.Session;
import dev.tether.session.SessionSummary;
import dev.tether.session.Titles;
import dev.tether.session.store.ListQuery;
import dev.tether.session.store.SessionPage;
import dev.tether.session.store.SessionStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Codex rollouts listed beside native sessions without importing them (spec §10.5): summaries of the rollouts of a
 * directory, and their merge with native summaries. Blocks on file I/O.
 */
public final class CodexListing {

    /** Title prefix of Codex entries in merged listings. */
    public static final String TITLE_PREFIX = "[Codex] ";

    private final CodexRollouts rollouts;
    private final SessionStore store;

    CodexListing(CodexRollouts rollouts, SessionStore store) {
        this.rollouts = rollouts;
        this.store = store;
    }

    /**
     * {@code list_all_for_directory}: native summaries for {@code dir} merged with summaries of the Codex rollouts
     * discovered for {@code dir}, without importing them; sorted as {@code list_all}. A {@code null} or blank
     * {@code dir} lists everything.
     */
    public List<SessionSummary> listAllForDirectory(String dir) {
        String d = blankToNull(dir);
        return mergeCodexSummaries(d, nativeSummaries(d));
    }

    /**
     * Merges Codex summaries for {@code dir} into native summaries the caller already has. On an id present in both:
     * a native entry older than the rollout is replaced by the Codex one; otherwise the native one stays, taking the
     * Codex title only when its own is {@code null} or not a title candidate. Result sorted newest first, ties by id.
     */
    public List<SessionSummary> mergeCodexSummaries(String dir, List<SessionSummary> nativeSummaries) {
        Map<String, SessionSummary> codex = new HashMap<>();
        for (SessionSummary c : codexSummaries(dir)) {
            codex.put(c.id(), c);
        }
        Map<String, SessionSummary> merged = new LinkedHashMap<>();
        for (SessionSummary n : nativeSummaries) {
            SessionSummary c = codex.remove(n.id());
            if (c == null) {
                merged.put(n.id(), n);
            } else if (n.updatedAt().isBefore(c.updatedAt())) {
                merged.put(n.id(), c);
            } else {
                merged.put(n.id(), n.title() == null || !Titles.isCandidate(n.title()) ? n.withTitle(c.title()) : n);
            }
        }
        codex.values().forEach(c -> merged.putIfAbsent(c.id(), c));
        List<SessionSummary> out = new ArrayList<>(merged.values());
        out.sort(SessionSummary.NEWEST_FIRST);
        return out;
    }

    /**
     * Summaries of the Codex rollouts whose directory matches {@code dir} (§9 directory match; {@code null} = all):
     * title {@code "[Codex] "} + thread name, else heuristic title, else id; {@code message_count} as the import would
     * produce. When several files carry one id, the newest wins. A blank directory counts as {@code null}.
     */
    public List<SessionSummary> codexSummaries(String directory) {
        String dir = blankToNull(directory);
        ThreadNames names = rollouts.threadNames();
        Map<String, SessionSummary> byId = new HashMap<>();
        for (Path file : rollouts.discover()) {
            RolloutInfo info = rollouts.info(file);
            if (!info.ok() || (dir != null && !Directories.matches(info.directory(), dir))) {
                continue;
            }
            String title = names.lookup(info.id()).map(Titles::settable).orElse(null);
            if (title == null) {
                title = info.heuristicTitle() != null ? info.heuristicTitle() : info.id();
            }
            SessionSummary s = new SessionSummary(info.id(), TITLE_PREFIX + title, info.createdAt(), info.updatedAt(),
                    info.messageCount(), Session.DEFAULT_AGENT, info.directory());
            byId.merge(s.id(), s, (a, b) -> a.updatedAt().isBefore(b.updatedAt()) ? b : a);
        }
        List<SessionSummary> out = new ArrayList<>(byId.values());
        out.sort(SessionSummary.NEWEST_FIRST);
        return out;
    }

    private List<SessionSummary> nativeSummaries(String dir) {
        if (dir == null) {
            return store.listAll();
        }
        List<SessionSummary> all = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            SessionPage page = store.list(new ListQuery(Optional.of(dir), ListQuery.MAX_LIMIT, cursor));
            all.addAll(page.sessions());
            cursor = Optional.ofNullable(page.nextCursor());
        } while (cursor.isPresent());
        return all;
    }

    private static String blankToNull(String dir) {
        return dir == null || dir.isBlank() ? null : dir;
    }
}
