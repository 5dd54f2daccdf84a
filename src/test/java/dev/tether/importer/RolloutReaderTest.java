package dev.tether.importer;

import static dev.tether.importer.Rollouts.assistantMessage;
import static dev.tether.importer.Rollouts.env;
import static dev.tether.importer.Rollouts.item;
import static dev.tether.importer.Rollouts.meta;
import static dev.tether.importer.Rollouts.userMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.Json;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.Role;
import dev.tether.session.Session;
import dev.tether.session.Timestamps;
import dev.tether.session.Usage;
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolloutReaderTest {

    private static final String ID = "019a0000-0000-7000-8000-000000000001";
    private static final String T0 = "2026-10-01T10:00:00.000Z";

    private final ObjectMapper json = Json.mapper();
    private final RolloutReader reader = new RolloutReader(json);

    @TempDir
    Path home;

    private Rollout read(List<String> lines) throws IOException {
        return reader.read(Rollouts.write(home, "sessions/r.jsonl", lines), ThreadNames.none());
    }

    private Rollout readWithMeta(String... lines) throws IOException {
        List<String> all = new ArrayList<>();
        all.add(meta(ID, T0, "/nonexistent/proj"));
        all.addAll(List.of(lines));
        return read(all);
    }

    private static ContentPart only(Message m) {
        assertEquals(1, m.content().size(), m.toString());
        return m.content().get(0);
    }

    @Test
    void workedExampleOfSpec106MapsExactly() throws IOException {
        Rollouts.write(home, "session_index.jsonl", Rollouts.EXAMPLE_INDEX);
        Path file = Rollouts.write(home, Rollouts.EXAMPLE_FILE, Rollouts.example("/srv/work/ledger"));
        Rollout r = reader.read(file, ThreadNames.load(home, json));

        assertTrue(r.ok());
        Session s = r.session();
        assertEquals(Rollouts.EXAMPLE_ID, s.id());
        assertEquals("Find currency migration", s.title());
        assertEquals("2026-10-14T08:41:05.790Z", Timestamps.format(s.createdAt()));
        assertEquals("2026-10-14T08:41:16.930Z", Timestamps.format(s.updatedAt()));
        assertEquals("/srv/work/ledger", s.metadata().directory());
        assertEquals("gpt-5.1-codex", s.metadata().model());
        assertEquals("build", s.agent());
        assertEquals(List.of(), s.toolUses());
        assertEquals(new Usage(6210, 188, 6398, 3072L, null), s.usage());
        assertEquals(6398, s.usage().totalTokens());
        assertEquals(new RolloutStats(11, 1, 0), r.stats());

        List<Message> m = s.messages();
        assertEquals(7, m.size());
        assertEquals(Message.of(Role.DEVELOPER, new ContentPart.Text(
                "<permissions instructions>Sandbox: workspace-write. Network: off.</permissions instructions>")), m.get(0));
        assertEquals(Message.userText("<environment_context>\n  <cwd>/srv/work/ledger</cwd>\n  <shell>bash</shell>\n"
                + "</environment_context>"), m.get(1));
        assertEquals(Message.userText("Which migration adds the invoices.currency column?"), m.get(2));
        assertEquals(Message.of(Role.ASSISTANT,
                new ContentPart.Thinking("Search the migrations folder for the column name.", null)), m.get(3));
        assertEquals(Message.of(Role.ASSISTANT, new ContentPart.ToolCall("call_Lk31", "exec_command",
                "{\"cmd\":\"grep -rn currency db/migrations\"}")), m.get(4));
        assertEquals(Message.toolResult("call_Lk31", "db/migrations/0042_invoice_currency.sql:3:ALTER TABLE invoices "
                + "ADD COLUMN currency CHAR(3) NOT NULL DEFAULT 'EUR';"), m.get(5));
        assertEquals(Message.assistantText("Migration 0042_invoice_currency.sql adds it as CHAR(3) with default 'EUR'."),
                m.get(6));
    }

    @Test
    void withoutIndexEntryTheTitleIsTheFiftyCharacterHeuristic() throws IOException {
        Path file = Rollouts.write(home, Rollouts.EXAMPLE_FILE, Rollouts.example("/srv/work/ledger"));
        Rollout r = reader.read(file, ThreadNames.load(home, json)); // no session_index.jsonl at all
        assertEquals("Which migration adds the invoices.currency column?", r.session().title());
        assertEquals(50, r.session().title().length());
        assertEquals(r.session().title(), r.heuristicTitle());
    }

    @Test
    void existingCwdIsStoredCanonical() throws IOException {
        Path real = Files.createDirectories(home.resolve("work/ledger"));
        Path link = Files.createSymbolicLink(home.resolve("link"), real);
        Path file = Rollouts.write(home, Rollouts.EXAMPLE_FILE, Rollouts.example(link + "/../link"));
        Rollout r = reader.read(file, ThreadNames.none());
        assertEquals(real.toRealPath().toString(), r.session().metadata().directory());
    }

    @Test
    void longHeuristicTitleIsCutTo47PlusEllipsis() throws IOException {
        String sixty = "Please explain why the nightly build of the ledger fails now";
        assertEquals(60, sixty.length());
        Rollout r = readWithMeta(userMessage(T0, "<environment_context><cwd>/x</cwd></environment_context>"),
                userMessage(T0, sixty));
        assertEquals(sixty.substring(0, 47) + "...", r.session().title());
    }

    @Test
    void reasoningContentAsStringAsArrayAndSummaryFallback() throws IOException {
        Rollout r = readWithMeta(
                item(T0, "{\"type\":\"reasoning\",\"summary\":[],\"content\":\"plain thought\"}"),
                item(T0, "{\"type\":\"reasoning\",\"summary\":[],\"content\":[{\"type\":\"reasoning_text\",\"text\":\"a\"},"
                        + "{\"type\":\"text\",\"text\":\"b\"}]}"),
                item(T0, "{\"type\":\"reasoning\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"s1\"},\"s2\"],"
                        + "\"content\":null,\"encrypted_content\":\"gAAA\"}"),
                item(T0, "{\"type\":\"reasoning\",\"summary\":[\"from summary\"],\"content\":\"   \"}"),
                item(T0, "{\"type\":\"reasoning\",\"summary\":[],\"content\":null}"),
                item(T0, "{\"type\":\"reasoning\",\"summary\":[]}"));
        List<String> texts = r.session().messages().stream()
                .map(m -> ((ContentPart.Thinking) only(m)).text()).toList();
        assertEquals(List.of("plain thought", "a\nb", "s1\ns2", "from summary"), texts);
        r.session().messages().forEach(m -> assertEquals(Role.ASSISTANT, m.role()));
        r.session().messages().forEach(m -> assertNull(((ContentPart.Thinking) only(m)).signature()));
        assertEquals(new RolloutStats(7, 0, 0), r.stats());
    }

    @Test
    void functionCallsWithStringAndObjectArgumentsAndIdFallback() throws IOException {
        Rollout r = readWithMeta(
                item(T0, "{\"type\":\"function_call\",\"name\":\"shell\",\"arguments\":\"{\\\"cmd\\\":[\\\"ls\\\"]}\","
                        + "\"call_id\":\"c1\"}"),
                item(T0, "{\"type\":\"function_call\",\"name\":\"apply\",\"arguments\":{\"path\":\"a.txt\",\"n\":2},"
                        + "\"id\":\"fc_2\"}"),
                item(T0, "{\"type\":\"function_call\",\"name\":\"noid\",\"arguments\":\"{}\"}"),
                item(T0, "{\"type\":\"function_call\",\"name\":\"nullargs\",\"arguments\":null,\"call_id\":\"c3\"}"),
                item(T0, "{\"type\":\"function_call\",\"name\":7,\"arguments\":\"{}\",\"call_id\":\"c4\"}"));
        List<Message> m = r.session().messages();
        assertEquals(2, m.size());
        assertEquals(new ContentPart.ToolCall("c1", "shell", "{\"cmd\":[\"ls\"]}"), only(m.get(0)));
        assertEquals(new ContentPart.ToolCall("fc_2", "apply", "{\"path\":\"a.txt\",\"n\":2}"), only(m.get(1)));
        assertEquals(new RolloutStats(3, 3, 0), r.stats());
    }

    @Test
    void customAndLocalShellCallsAndOutputsAsStringJsonAndNull() throws IOException {
        Rollout r = readWithMeta(
                item(T0, "{\"type\":\"custom_tool_call\",\"status\":\"completed\",\"call_id\":\"k1\",\"name\":\"apply_patch\","
                        + "\"input\":\"*** Begin Patch\\n*** End Patch\"}"),
                item(T0, "{\"type\":\"custom_tool_call_output\",\"call_id\":\"k1\",\"output\":\"Done!\"}"),
                item(T0, "{\"type\":\"local_shell_call\",\"call_id\":\"s1\",\"status\":\"completed\",\"action\":"
                        + "{\"type\":\"exec\",\"command\":[\"ls\",\"-l\"],\"timeout_ms\":1000}}"),
                item(T0, "{\"type\":\"function_call_output\",\"call_id\":\"s1\",\"output\":{\"output\":\"total 0\","
                        + "\"metadata\":{\"exit_code\":0}}}"),
                item(T0, "{\"type\":\"function_call_output\",\"call_id\":\"s2\",\"output\":null}"),
                item(T0, "{\"type\":\"function_call_output\",\"call_id\":\"s3\",\"output\":[1,\"x\"]}"),
                item(T0, "{\"type\":\"function_call_output\",\"output\":\"no call id\"}"),
                item(T0, "{\"type\":\"local_shell_call\",\"call_id\":\"s4\",\"action\":\"ls\"}"),
                item(T0, "{\"type\":\"custom_tool_call\",\"call_id\":\"k2\",\"name\":\"x\"}"));
        List<Message> m = r.session().messages();
        assertEquals(6, m.size());
        assertEquals(new ContentPart.ToolCall("k1", "apply_patch", "{\"input\":\"*** Begin Patch\\n*** End Patch\"}"),
                only(m.get(0)));
        assertEquals(Message.toolResult("k1", "Done!"), m.get(1));
        assertEquals(new ContentPart.ToolCall("s1", "local_shell",
                "{\"type\":\"exec\",\"command\":[\"ls\",\"-l\"],\"timeout_ms\":1000}"), only(m.get(2)));
        assertEquals(Message.toolResult("s1", "{\"output\":\"total 0\",\"metadata\":{\"exit_code\":0}}"), m.get(3));
        assertEquals(Message.toolResult("s2", ""), m.get(4));
        assertEquals(Message.toolResult("s3", "[1,\"x\"]"), m.get(5));
        assertEquals(new RolloutStats(7, 3, 0), r.stats());
    }

    @Test
    void messageContentTypesRolesAndEmptyParts() throws IOException {
        Rollout r = readWithMeta(
                item(T0, "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"  look  \"},"
                        + "{\"type\":\"input_image\",\"image_url\":\"data:image/png;base64,iVBO\"},"
                        + "{\"type\":\"input_text\",\"text\":\"   \"},{\"type\":\"mystery\",\"text\":\"x\"}]}"),
                item(T0, "{\"type\":\"message\",\"role\":\"system\",\"content\":[{\"type\":\"input_text\",\"text\":\"sys\"}]}"),
                item(T0, "{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\" \"}]}"),
                item(T0, "{\"type\":\"message\",\"role\":\"assistant\",\"content\":[]}"),
                item(T0, "{\"type\":\"message\",\"role\":\"assistant\",\"content\":\"not an array\"}"),
                item(T0, "{\"type\":\"message\",\"content\":[]}"),
                item(T0, "{\"type\":\"message\",\"role\":\"developer\",\"content\":[{\"type\":\"input_text\",\"text\":\"dev\"}]}"),
                item(T0, "{\"type\":\"web_search_call\",\"status\":\"completed\",\"action\":{\"type\":\"search\"}}"),
                item(T0, "{\"no_type\":true}"));
        List<Message> m = r.session().messages();
        assertEquals(2, m.size());
        assertEquals(new Message(Role.USER, List.of(new ContentPart.Text("look"),
                new ContentPart.Image("data:image/png;base64,iVBO", null))), m.get(0));
        assertEquals(Message.of(Role.DEVELOPER, new ContentPart.Text("dev")), m.get(1));
        assertEquals(new RolloutStats(7, 3, 0), r.stats());
        assertEquals("look", r.session().title());
    }

    @Test
    void everyOtherKindIsIgnoredButCountedAndLatestModelAndUsageWin() throws IOException {
        Rollout r = readWithMeta(
                env("2026-10-01T10:00:01Z", "turn_context", "{\"model\":\"gpt-5\",\"cwd\":\"/elsewhere\"}"),
                env("2026-10-01T10:00:02Z", "event_msg", "{\"type\":\"token_count\",\"info\":{\"total_token_usage\":"
                        + "{\"input_tokens\":10,\"output_tokens\":2,\"total_tokens\":12}}}"),
                env("2026-10-01T10:00:03Z", "turn_context", "{\"model\":\"gpt-5.1-codex\"}"),
                env("2026-10-01T10:00:04Z", "turn_context", "{\"model\":\"\"}"),
                env("2026-10-01T10:00:05Z", "event_msg", "{\"type\":\"token_count\",\"info\":{\"total_token_usage\":"
                        + "{\"input_tokens\":100,\"cached_input_tokens\":40,\"output_tokens\":20,\"total_tokens\":120}}}"),
                env("2026-10-01T10:00:06Z", "event_msg", "{\"type\":\"token_count\",\"info\":null,\"rate_limits\":{}}"),
                env("2026-10-01T10:00:07Z", "event_msg", "{\"type\":\"agent_message\",\"message\":\"dup\"}"),
                env("2026-10-01T10:00:08Z", "event_msg", "{\"type\":\"task_complete\"}"),
                env("2026-10-01T10:00:09Z", "compacted", "{\"message\":\"summary\"}"),
                env("2026-10-01T10:00:10Z", "something_new", "{\"x\":1}"),
                env("2026-10-01T10:00:11Z", "session_meta", "{\"id\":\"other-id\",\"cwd\":\"/other\"}"),
                env("2026-10-01T10:00:12Z", "event_msg", "{\"type\":\"token_count\",\"info\":{\"total_token_usage\":"
                        + "{\"input_tokens\":\"many\",\"output_tokens\":1}}}"),
                "",
                "   ",
                "[1,2]",
                "42",
                "not json at all");
        Session s = r.session();
        assertEquals(ID, s.id());
        assertEquals("/nonexistent/proj", s.metadata().directory());
        assertEquals("gpt-5.1-codex", s.metadata().model());
        assertEquals(new Usage(100, 20, 120, 40L, null), s.usage());
        assertEquals(Timestamps.parse(T0), s.createdAt());
        // the bad token_count line (10:00:12) does not count as the greatest timestamp
        assertEquals(Timestamps.parse("2026-10-01T10:00:11Z"), s.updatedAt());
        assertEquals(0, s.messages().size());
        assertNull(s.title());
        assertEquals(new RolloutStats(12, 4, 0), r.stats());
    }

    @Test
    void legacyFormatWithStateLinesAndCwdFromEnvironmentContext() throws IOException {
        Rollout r = read(List.of(
                "{\"id\":\"" + ID + "\",\"timestamp\":\"2025-05-01T09:30:00.250+02:00\",\"instructions\":null,"
                        + "\"git\":{\"commit_hash\":\"abc\"}}",
                "{\"record_type\":\"state\"}",
                "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":"
                        + "\"<environment_context>\\n<cwd>/legacy/proj</cwd>\\n</environment_context>\"}]}",
                "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"fix it\"}]}",
                "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"think\"}]}",
                "{\"type\":\"function_call\",\"id\":\"fc_1\",\"name\":\"shell\",\"arguments\":\"{}\",\"call_id\":\"call_1\"}",
                "{\"type\":\"function_call_output\",\"call_id\":\"call_1\",\"output\":\"ok\"}",
                "{\"record_type\":\"state\",\"extra\":1}",
                "{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"done\"}]}"));
        Session s = r.session();
        assertEquals(ID, s.id());
        assertEquals("2025-05-01T07:30:00.250Z", Timestamps.format(s.createdAt()));
        assertEquals(s.createdAt(), s.updatedAt());
        assertEquals("/legacy/proj", s.metadata().directory());
        assertNull(s.metadata().model());
        assertEquals("fix it", s.title());
        assertEquals(6, s.messages().size());
        assertEquals(new ContentPart.ToolCall("call_1", "shell", "{}"), only(s.messages().get(3)));
        assertEquals(new RolloutStats(9, 0, 0), r.stats());
    }

    @Test
    void cwdFromMetaWinsOverEnvironmentContextAndEmptyMetaCwdFallsBack() throws IOException {
        Rollout r = read(List.of(meta(ID, T0, ""),
                userMessage(T0, "<environment_context>\n  <cwd>/from/env</cwd>\n</environment_context>"),
                userMessage(T0, "<environment_context>\n  <cwd>/second/env</cwd>\n</environment_context>")));
        assertEquals("/from/env", r.session().metadata().directory());
        Rollout r2 = read(List.of(meta(ID, T0, "/from/meta"),
                userMessage(T0, "<environment_context><cwd>/from/env</cwd></environment_context>")));
        assertEquals("/from/meta", r2.session().metadata().directory());
        Rollout r3 = read(List.of(meta(ID, T0, null), userMessage(T0, "hello")));
        assertNull(r3.session().metadata().directory());
    }

    @Test
    void malformedLineInTheMiddleIsSkippedAndTheRestImported() throws IOException {
        Rollout r = readWithMeta(userMessage("2026-10-01T10:00:01Z", "one"),
                "{\"timestamp\":\"2026-10-01T10:00:02Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"mess",
                assistantMessage("2026-10-01T10:00:03Z", "two"));
        assertEquals(List.of(Message.userText("one"), Message.assistantText("two")), r.session().messages());
        assertEquals(new RolloutStats(3, 1, 0), r.stats());
        assertEquals(Timestamps.parse("2026-10-01T10:00:03Z"), r.session().updatedAt());
    }

    @Test
    void emptyFileFailsWithoutSessionId() throws IOException {
        Rollout r = read(List.of());
        assertFalse(r.ok());
        assertEquals("no usable session id", r.error());
        assertEquals(new RolloutStats(0, 0, 0), r.stats());
    }

    @Test
    void fileWithoutUsableIdFailsButCountsItsLines() throws IOException {
        Rollout r = read(List.of(env(T0, "session_meta", "{\"id\":\"../etc\",\"cwd\":\"/p\"}"),
                env(T0, "session_meta", "{\"cwd\":\"/p\"}"), userMessage(T0, "hello")));
        assertFalse(r.ok());
        assertEquals(new RolloutStats(1, 2, 0), r.stats());
    }

    @Test
    void fileWithOnlySessionMetaGivesAnEmptySession() throws IOException {
        Rollout r = read(List.of(meta(ID, "2026-10-01T10:00:00.123456Z", "/p")));
        Session s = r.session();
        assertEquals(ID, s.id());
        assertEquals(List.of(), s.messages());
        assertNull(s.title());
        assertEquals(Usage.ZERO, s.usage());
        assertEquals("2026-10-01T10:00:00.123Z", Timestamps.format(s.createdAt()));
        assertEquals(s.createdAt(), s.updatedAt());
        assertEquals(new RolloutStats(1, 0, 0), r.stats());
    }

    @Test
    void capKeepsTheNewest4000AndReportsTheDropped() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(meta(ID, T0, "/p"));
        for (int i = 0; i < 5000; i++) {
            lines.add(i % 2 == 0 ? userMessage(T0, "u" + i) : assistantMessage(T0, "a" + i));
        }
        Rollout r = read(lines);
        List<Message> m = r.session().messages();
        assertEquals(4000, m.size());
        assertEquals(Message.userText("u1000"), m.get(0));
        assertEquals(Message.assistantText("a4999"), m.get(3999));
        assertEquals(new RolloutStats(5001, 0, 1000), r.stats());
        assertEquals("u0", r.session().title(), "the title source may lie before the cap");
    }

    @Test
    void capRemovesLeadingToolResultsWhoseCallWasDropped() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(meta(ID, T0, "/p"));
        // 3 messages per round: call, result, text; 1,400 rounds = 4,200 messages
        for (int i = 0; i < 1400; i++) {
            lines.add(item(T0, "{\"type\":\"function_call\",\"name\":\"t\",\"arguments\":\"{}\",\"call_id\":\"c" + i + "\"}"));
            lines.add(item(T0, "{\"type\":\"function_call_output\",\"call_id\":\"c" + i + "\",\"output\":\"r" + i + "\"}"));
            lines.add(assistantMessage(T0, "t" + i));
        }
        lines.add(assistantMessage(T0, "tail 1"));
        lines.add(assistantMessage(T0, "tail 2"));
        Rollout r = read(lines);
        // 4,202 messages: the cap keeps the last 4,000, starting with round 67's result; that orphan goes too
        List<Message> m = r.session().messages();
        assertEquals(3999, m.size());
        assertEquals(Message.assistantText("t67"), m.get(0));
        assertEquals(Message.assistantText("tail 2"), m.get(3998));
        assertEquals(203, r.stats().messagesDropped());
    }

    @Test
    void threadNamesNewestUpdatedAtWinsAndPassThroughSetTitle() throws IOException {
        Rollouts.write(home, "session_index.jsonl", String.join("\n",
                "{\"id\":\"a\",\"thread_name\":\"Old name\",\"updated_at\":\"2026-10-01T10:00:00Z\"}",
                "{\"id\":\"a\",\"thread_name\":\"  New\\tname  \",\"updated_at\":\"2026-10-02T10:00:00Z\"}",
                "{\"id\":\"a\",\"thread_name\":\"Stale name\",\"updated_at\":\"2026-09-01T10:00:00+02:00\"}",
                "garbage",
                "{\"id\":\"b\",\"thread_name\":\"<environment_context>\",\"updated_at\":\"2026-10-02T10:00:00Z\"}",
                ""));
        ThreadNames names = ThreadNames.load(home, json);
        assertEquals(Optional.of("  New\tname  "), names.lookup("a"));
        Rollout a = reader.read(Rollouts.write(home, "sessions/a.jsonl",
                List.of(meta("a", T0, "/p"), userMessage(T0, "question"))), names);
        assertEquals("New name", a.session().title());
        Rollout b = reader.read(Rollouts.write(home, "sessions/b.jsonl",
                List.of(meta("b", T0, "/p"), userMessage(T0, "question b"))), names);
        assertEquals("question b", b.session().title(), "a name that is not a title candidate falls back");
        assertEquals(Optional.empty(), ThreadNames.load(home.resolve("absent"), json).lookup("a"));
        assertEquals(Optional.of("x"), ThreadNames.of(Map.of("a", "x")).lookup("a"));
    }

    @Test
    void overlongLineIsSkippedAndCountedWithoutBeingKept() throws IOException {
        RolloutReader small = new RolloutReader(json, RolloutReader.MAX_MESSAGES, 2000);
        Path file = Rollouts.write(home, "sessions/long.jsonl", List.of(meta(ID, T0, "/p"),
                userMessage(T0, "x".repeat(200_000)), userMessage(T0, "short")));
        Rollout r = small.read(file, ThreadNames.none());
        assertEquals(List.of(Message.userText("short")), r.session().messages());
        assertEquals(new RolloutStats(2, 1, 0), r.stats());
    }

    @Test
    void zstdCompressedRolloutReadsLikeThePlainOne() throws IOException {
        Path file = home.resolve("sessions/2026/10/14/rollout.jsonl.zst");
        Files.createDirectories(file.getParent());
        try (OutputStream out = new ZstdOutputStream(Files.newOutputStream(file))) {
            out.write(Rollouts.example("/srv/work/ledger").getBytes(StandardCharsets.UTF_8));
        }
        Path plain = Rollouts.write(home, Rollouts.EXAMPLE_FILE, Rollouts.example("/srv/work/ledger"));
        Rollout z = reader.read(file, ThreadNames.none());
        Rollout p = reader.read(plain, ThreadNames.none());
        assertEquals(p.session(), z.session());
        assertEquals(p.stats(), z.stats());
        assertEquals(Optional.of(Rollouts.EXAMPLE_ID), reader.peekId(file));
        assertTrue(RolloutReader.isRolloutFile(file));
        assertFalse(RolloutReader.isRolloutFile(home.resolve("notes.json")));
    }

    @Test
    void corruptZstdFileFailsWithoutThrowing() throws IOException {
        Path file = home.resolve("sessions/bad.jsonl.zst");
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 1, 2, 3, 4, 5, 6, 7});
        Rollout r = reader.read(file, ThreadNames.none());
        assertFalse(r.ok());
        assertTrue(r.error().startsWith("cannot read rollout"), r.error());
    }

    @Test
    void peekIdReadsOnlyTheFirstLines() throws IOException {
        Path envelope = Rollouts.write(home, Rollouts.EXAMPLE_FILE, Rollouts.example("/p"));
        assertEquals(Optional.of(Rollouts.EXAMPLE_ID), reader.peekId(envelope));
        Path legacy = Rollouts.write(home, "sessions/legacy.jsonl",
                List.of("{\"id\":\"" + ID + "\",\"timestamp\":\"" + T0 + "\",\"instructions\":\"x\"}"));
        assertEquals(Optional.of(ID), reader.peekId(legacy));
        List<String> late = new ArrayList<>();
        for (int i = 0; i < RolloutReader.HEADER_LINES; i++) {
            late.add(userMessage(T0, "m" + i));
        }
        late.add(meta(ID, T0, "/p"));
        assertEquals(Optional.empty(), reader.peekId(Rollouts.write(home, "sessions/late.jsonl", late)));
        assertEquals(Optional.empty(), reader.peekId(home.resolve("sessions/missing.jsonl")));
    }
}
