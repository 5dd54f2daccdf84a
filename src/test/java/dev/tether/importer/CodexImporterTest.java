package dev.tether.importer;

import dev.tether.testing.StoreDefaults;
import static dev.tether.importer.Rollouts.assistantMessage;
import static dev.tether.importer.Rollouts.meta;
import static dev.tether.importer.Rollouts.userMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.Json;
import dev.tether.session.InvalidSessionIdException;
import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.SessionMetadata;
import dev.tether.session.SessionNotFoundException;
import dev.tether.session.SessionSummary;
import dev.tether.session.Timestamps;
import dev.tether.session.Usage;
import dev.tether.session.store.FileSessionStore;
import dev.tether.session.store.StoreSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Import and listing against the real {@link FileSessionStore} on a temporary data directory. */
class CodexImporterTest {

    private static final String ID = Rollouts.EXAMPLE_ID;

    private final ObjectMapper json = Json.mapper();

    @TempDir
    Path tmp;

    private Path home;
    private Path ledger;
    private FileSessionStore store;
    private CodexImporter importer;

    @BeforeEach
    void setUp() throws IOException {
        home = Files.createDirectories(tmp.resolve("codex"));
        ledger = Files.createDirectories(tmp.resolve("srv/work/ledger")).toRealPath();
        store = new FileSessionStore(tmp.resolve("data"), StoreDefaults.settings(), new SimpleMeterRegistry());
        importer = new CodexImporter(home, store, new RolloutReader(json), json);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private Path writeExample() throws IOException {
        Rollouts.write(home, "session_index.jsonl", Rollouts.EXAMPLE_INDEX);
        return Rollouts.write(home, Rollouts.EXAMPLE_FILE, Rollouts.example(ledger.toString()));
    }

    private Path snapshot(String id) {
        return tmp.resolve("data/sessions/" + id + ".json");
    }

    @Test
    void scenario37ImportForDirectoryStoresTheExpectedSessionAndReports() throws IOException {
        Path file = writeExample();
        // another project's rollout and a file without id in the same tree are not this directory's
        Rollouts.write(home, "sessions/2026/10/13/rollout-other.jsonl",
                List.of(meta("other-1", "2026-10-13T08:00:00Z", tmp.resolve("elsewhere").toString()),
                        userMessage("2026-10-13T08:00:01Z", "other")));
        Rollouts.write(home, "sessions/2026/10/13/broken.jsonl", "not json\n");

        ImportReport report = importer.importForDirectory(ledger.toString());

        assertEquals(1, report.imported());
        assertEquals(0, report.skipped());
        assertEquals(List.of(new FileReport(file.toString(), ID, ImportOutcome.IMPORTED, 11, 1, 0, null)),
                report.files());
        Session s = store.load(ID);
        assertEquals("Find currency migration", s.title());
        assertEquals("2026-10-14T08:41:05.790Z", Timestamps.format(s.createdAt()));
        assertEquals("2026-10-14T08:41:16.930Z", Timestamps.format(s.updatedAt()));
        assertEquals(ledger.toString(), s.metadata().directory());
        assertEquals("gpt-5.1-codex", s.metadata().model());
        assertEquals(7, s.messages().size());
        assertEquals(dev.tether.session.Role.DEVELOPER, s.messages().get(0).role());
        assertEquals(new Usage(6210, 188, 6398, 3072L, null), s.usage());
        assertTrue(store.exists(ID));
        assertTrue(!store.exists("other-1"), "rollouts of other directories are not imported");
    }

    @Test
    void reportJsonHasTheShapeOfSpec105() throws IOException {
        Path file = writeExample();
        ImportReport report = importer.importForDirectory(ledger.toString());
        JsonNode tree = json.valueToTree(report);
        assertEquals(List.of("imported", "skipped", "files"), fieldNames(tree));
        JsonNode f = tree.get("files").get(0);
        assertEquals(List.of("path", "session_id", "outcome", "lines_parsed", "lines_skipped", "messages_dropped", "error"),
                fieldNames(f));
        assertEquals("{\"path\":" + json.writeValueAsString(file.toString()) + ",\"session_id\":\"" + ID
                + "\",\"outcome\":\"imported\",\"lines_parsed\":11,\"lines_skipped\":1,\"messages_dropped\":0,"
                + "\"error\":null}", json.writeValueAsString(f));
        JsonNode byId = json.valueToTree(ImportReport.of(report.files(), ID));
        assertEquals(List.of("imported", "skipped", "files", "session_id"), fieldNames(byId));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void scenario38ReimportIsUnchangedUntilTheRolloutGrows() throws IOException {
        Path file = writeExample();
        importer.importForDirectory(ledger.toString());
        FileTime old = FileTime.from(Instant.parse("2001-01-01T00:00:00Z"));
        Files.setLastModifiedTime(snapshot(ID), old);
        byte[] before = Files.readAllBytes(snapshot(ID));

        ImportReport again = importer.importForDirectory(ledger.toString());
        assertEquals(0, again.imported());
        assertEquals(1, again.skipped());
        assertEquals(new FileReport(file.toString(), ID, ImportOutcome.UNCHANGED, 11, 1, 0, null), again.files().get(0));
        ImportResult byId = importer.importById(ID);
        assertEquals(ImportOutcome.UNCHANGED, byId.report().files().get(0).outcome());
        assertEquals(old, Files.getLastModifiedTime(snapshot(ID)), "an unchanged import must not rewrite the store");
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(snapshot(ID))));

        Files.writeString(file, assistantMessage("2026-10-14T09:00:00.000Z", "One more thing.") + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        ImportReport third = importer.importForDirectory(ledger.toString());
        assertEquals(1, third.imported());
        assertEquals(new FileReport(file.toString(), ID, ImportOutcome.IMPORTED, 12, 1, 0, null), third.files().get(0));
        Session s = store.load(ID);
        assertEquals(8, s.messages().size());
        assertEquals(Message.assistantText("One more thing."), s.messages().get(7));
        assertEquals("2026-10-14T09:00:00.000Z", Timestamps.format(s.updatedAt()));
    }

    @Test
    void importByIdReturnsTheStoredSessionAndNewerNativeCopyIsKept() throws IOException {
        writeExample();
        ImportResult first = importer.importById(ID);
        assertEquals(ID, first.report().sessionId());
        assertEquals(1, first.report().imported());
        assertEquals("Find currency migration", first.session().title());

        Session nativeCopy = store.load(ID).withTitle("Ledger fix", Instant.parse("2026-11-01T00:00:00Z"));
        store.save(nativeCopy);
        ImportResult second = importer.importById(ID);
        assertEquals(ImportOutcome.UNCHANGED, second.report().files().get(0).outcome());
        assertEquals("Ledger fix", second.session().title());
        assertEquals("Ledger fix", importer.loadOrImport(ID).title());
        assertEquals("Ledger fix", store.load(ID).title());
    }

    @Test
    void importByIdOfUnknownOrInvalidIdFails() throws IOException {
        writeExample();
        CodexSessionNotFoundException e = assertThrows(CodexSessionNotFoundException.class,
                () -> importer.importById("0199ffff-0000-7000-8000-000000000000"));
        assertEquals("Codex session not found: 0199ffff-0000-7000-8000-000000000000", e.getMessage());
        assertEquals(404, e.status());
        assertThrows(InvalidSessionIdException.class, () -> importer.importById("../etc"));
    }

    @Test
    void loadOrImportPrefersTheRolloutElseTheNativeSessionElseNotFound() throws IOException {
        writeExample();
        assertEquals(7, importer.loadOrImport(ID).messages().size());
        Session nativeOnly = new Session("native-1", "Native", Instant.parse("2026-10-01T00:00:00Z"), null,
                SessionMetadata.DEFAULT.withDirectory(ledger.toString()), null, List.of(Message.userText("hi")), null,
                null);
        store.create(nativeOnly);
        assertEquals("Native", importer.loadOrImport("native-1").title());
        assertThrows(SessionNotFoundException.class, () -> importer.loadOrImport("nothing-here"));
    }

    @Test
    void scenario39MergedListingReplacesOlderNativeCopyAndKeepsNewerOne() throws IOException {
        writeExample();
        Rollouts.write(home, "sessions/2026/10/15/rollout-b.jsonl", List.of(
                meta("codex-b", "2026-10-15T10:00:00Z", ledger.toString()),
                userMessage("2026-10-15T10:00:01Z", "Second codex question"),
                assistantMessage("2026-10-15T10:00:02Z", "answer")));
        Rollouts.write(home, "sessions/2026/10/15/rollout-c.jsonl", List.of(
                meta("codex-c", "2026-10-15T11:00:00Z", ledger.toString())));
        Rollouts.write(home, "sessions/2026/10/15/rollout-elsewhere.jsonl", List.of(
                meta("codex-x", "2026-10-15T12:00:00Z", tmp.resolve("elsewhere").toString())));
        Session older = new Session(ID, "Stale native", Instant.parse("2026-10-14T08:41:05.790Z"),
                Instant.parse("2026-10-14T08:41:10Z"), SessionMetadata.DEFAULT.withDirectory(ledger.toString()), null,
                List.of(), null, null);
        store.save(older);
        Session unrelated = new Session("native-n", "Native work", Instant.parse("2026-10-16T00:00:00Z"), null,
                SessionMetadata.DEFAULT.withDirectory(ledger.toString()), null, List.of(), null, null);
        store.save(unrelated);
        store.refreshIndex();

        List<SessionSummary> list = importer.listAllForDirectory(ledger.toString());
        assertEquals(List.of("native-n", "codex-c", "codex-b", ID), list.stream().map(SessionSummary::id).toList());
        assertEquals(List.of("Native work", "[Codex] codex-c", "[Codex] Second codex question",
                "[Codex] Find currency migration"), list.stream().map(SessionSummary::title).toList());
        SessionSummary example = list.get(3);
        assertEquals(new SessionSummary(ID, "[Codex] Find currency migration",
                Instant.parse("2026-10-14T08:41:05.790Z"), Instant.parse("2026-10-14T08:41:16.930Z"), 7, "build",
                ledger.toString()), example);
        assertTrue(!store.exists("codex-b"), "listing never imports");

        // a newer native copy titled "Ledger fix" stays as it is
        store.save(older.withTitle("Ledger fix", Instant.parse("2026-11-01T00:00:00Z")));
        store.refreshIndex();
        List<SessionSummary> after = importer.listAllForDirectory(ledger.toString());
        SessionSummary kept = after.stream().filter(s -> s.id().equals(ID)).findFirst().orElseThrow();
        assertEquals("Ledger fix", kept.title());
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), kept.updatedAt());
        assertEquals(ID, after.get(0).id());
        assertEquals(5, importer.listAllForDirectory(null).size(), "no directory: everything, all projects");
    }

    @Test
    void newerNativeCopyWithoutCandidateTitleTakesTheCodexTitle() {
        SessionSummary nativeNoTitle = new SessionSummary(ID, null, Instant.parse("2026-10-14T00:00:00Z"),
                Instant.parse("2026-12-01T00:00:00Z"), 3, "build", "/x");
        SessionSummary boilerplate = nativeNoTitle.withTitle("<environment_context> x");
        try {
            writeExample();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<SessionSummary> a = importer.listing().mergeCodexSummaries(ledger.toString(), List.of(nativeNoTitle));
        assertEquals(List.of(nativeNoTitle.withTitle("[Codex] Find currency migration")), a);
        List<SessionSummary> b = importer.listing().mergeCodexSummaries(ledger.toString(), List.of(boilerplate));
        assertEquals("[Codex] Find currency migration", b.get(0).title());
        assertEquals(3, b.get(0).messageCount(), "the native entry stays");
    }

    @Test
    void listingMatchesSymlinkedDirectoriesAndMissingDirectoriesByAncestry() throws IOException {
        writeExample();
        Path link = Files.createSymbolicLink(tmp.resolve("ledger-link"), ledger);
        assertEquals(1, importer.listing().codexSummaries(link.toString()).size());
        assertEquals(1, importer.importForDirectory(link + "/.").imported());
        Rollouts.write(home, "sessions/gone.jsonl", List.of(meta("gone-1", "2026-10-01T00:00:00Z", "/gone/a/b")));
        assertEquals(List.of("gone-1"), importer.listing().codexSummaries("/gone/a").stream().map(SessionSummary::id).toList());
        assertEquals(List.of(), importer.listing().codexSummaries("/gone/ab"));
        assertEquals(0, importer.importForDirectory("/gone/a").files().size(), "import needs the same directory");
    }

    @Test
    void fileWithoutUsableIdInTheDirectoryIsReportedFailedAndCountedAsSkipped() throws IOException {
        Path file = writeExample();
        Path broken = Rollouts.write(home, "sessions/2026/10/15/rollout-noid.jsonl", List.of(
                userMessage("2026-10-15T10:00:00Z", "<environment_context><cwd>" + ledger + "</cwd></environment_context>"),
                "{oops"));
        ImportReport report = importer.importForDirectory(ledger.toString());
        assertEquals(1, report.imported());
        assertEquals(1, report.skipped());
        assertEquals(List.of(new FileReport(file.toString(), ID, ImportOutcome.IMPORTED, 11, 1, 0, null),
                new FileReport(broken.toString(), null, ImportOutcome.FAILED, 1, 1, 0, "no usable session id")),
                report.files());
        assertEquals(List.of(ID), importer.listAllForDirectory("  ").stream().map(SessionSummary::id).toList());
    }

    @Test
    void missingSessionsFolderMeansNothingToImport() {
        assertEquals(List.of(), new CodexRollouts(home, new RolloutReader(json), json).discover());
        assertEquals(ImportReport.of(List.of(), null), importer.importForDirectory(ledger.toString()));
        assertEquals(List.of(), importer.listing().codexSummaries(null));
        assertNull(ImportReport.of(List.of(), null).sessionId());
    }
}
