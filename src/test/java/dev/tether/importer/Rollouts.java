package dev.tether.importer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Hand-written rollout fixtures for tests: the spec §10.6 example and line builders. */
public final class Rollouts {

    public static final String EXAMPLE_ID = "0199e3c1-4b2a-7d10-b6e2-5f0a9c7d3e18";
    public static final String EXAMPLE_FILE = "sessions/2026/10/14/rollout-2026-10-14T08-41-05-" + EXAMPLE_ID + ".jsonl";

    /** The 12 lines of spec §10.6; line 10 is cut off mid-object. {@code /srv/work/ledger} is replaced by {@code cwd}. */
    public static String example(String cwd) {
        return """
                {"timestamp":"2026-10-14T08:41:05.812Z","type":"session_meta","payload":{"id":"0199e3c1-4b2a-7d10-b6e2-5f0a9c7d3e18","timestamp":"2026-10-14T08:41:05.790Z","cwd":"/srv/work/ledger","originator":"codex_exec","cli_version":"0.121.0","source":"cli","model_provider":"openai","git":{"branch":"main"}}}
                {"timestamp":"2026-10-14T08:41:05.820Z","type":"response_item","payload":{"type":"message","role":"developer","content":[{"type":"input_text","text":"<permissions instructions>Sandbox: workspace-write. Network: off.</permissions instructions>"}]}}
                {"timestamp":"2026-10-14T08:41:05.821Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"<environment_context>\\n  <cwd>/srv/work/ledger</cwd>\\n  <shell>bash</shell>\\n</environment_context>"}]}}
                {"timestamp":"2026-10-14T08:41:09.004Z","type":"turn_context","payload":{"cwd":"/srv/work/ledger","approval_policy":"on-request","model":"gpt-5.1-codex","effort":"high"}}
                {"timestamp":"2026-10-14T08:41:09.010Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"Which migration adds the invoices.currency column?"}]}}
                {"timestamp":"2026-10-14T08:41:09.011Z","type":"event_msg","payload":{"type":"user_message","message":"Which migration adds the invoices.currency column?"}}
                {"timestamp":"2026-10-14T08:41:12.377Z","type":"response_item","payload":{"type":"reasoning","summary":[],"content":[{"type":"reasoning_text","text":"Search the migrations folder for the column name."}],"encrypted_content":null}}
                {"timestamp":"2026-10-14T08:41:12.650Z","type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{\\"cmd\\":\\"grep -rn currency db/migrations\\"}","call_id":"call_Lk31"}}
                {"timestamp":"2026-10-14T08:41:13.102Z","type":"response_item","payload":{"type":"function_call_output","call_id":"call_Lk31","output":"db/migrations/0042_invoice_currency.sql:3:ALTER TABLE invoices ADD COLUMN currency CHAR(3) NOT NULL DEFAULT 'EUR';"}}
                {"timestamp":"2026-10-14T08:41:13.300Z","type":"response_item","payload":{"type":"message","ro
                {"timestamp":"2026-10-14T08:41:16.918Z","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Migration 0042_invoice_currency.sql adds it as CHAR(3) with default 'EUR'."}]}}
                {"timestamp":"2026-10-14T08:41:16.930Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":6210,"cached_input_tokens":3072,"output_tokens":188,"reasoning_output_tokens":64,"total_tokens":6398},"model_context_window":272000}}}
                """.replace("/srv/work/ledger", cwd);
    }

    static final String EXAMPLE_INDEX = """
            {"id":"0199e3c1-4b2a-7d10-b6e2-5f0a9c7d3e18","thread_name":"Find currency migration","updated_at":"2026-10-14T08:42:00Z"}
            """;

    private Rollouts() {
    }

    static Path write(Path home, String relative, String content) throws IOException {
        Path file = home.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    static Path write(Path home, String relative, List<String> lines) throws IOException {
        return write(home, relative, String.join("\n", lines) + "\n");
    }

    /** An envelope line. */
    static String env(String timestamp, String kind, String payload) {
        return "{\"timestamp\":\"" + timestamp + "\",\"type\":\"" + kind + "\",\"payload\":" + payload + "}";
    }

    static String meta(String id, String timestamp, String cwd) {
        return env(timestamp, "session_meta", "{\"id\":\"" + id + "\",\"timestamp\":\"" + timestamp + "\",\"cwd\":"
                + (cwd == null ? "null" : "\"" + cwd + "\"") + ",\"originator\":\"codex_cli_rs\"}");
    }

    static String item(String timestamp, String payload) {
        return env(timestamp, "response_item", payload);
    }

    static String userMessage(String timestamp, String text) {
        return item(timestamp, "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":"
                + quote(text) + "}]}");
    }

    static String assistantMessage(String timestamp, String text) {
        return item(timestamp, "{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\","
                + "\"text\":" + quote(text) + "}]}");
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
