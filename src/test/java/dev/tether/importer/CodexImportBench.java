package dev.tether.importer;

import dev.tether.config.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Heap benchmark of the Codex import: generates a rollout of about N MB (default 50) with a realistic mix of records,
 * maps it with {@link RolloutReader}, and prints the peak heap use measured by the JVM's memory pools. Run it with a
 * small {@code -Xmx} to show that heap stays bounded (see docs/BENCHMARKS.md, "Codex import").
 *
 * <p>Usage: {@code java -Xmx64m -cp <test classpath> dev.tether.importer.CodexImportBench [sizeMB] [dir]}
 */
public final class CodexImportBench {

    private CodexImportBench() {
    }

    public static void main(String[] args) throws IOException {
        long targetBytes = (args.length > 0 ? Long.parseLong(args[0]) : 50) * 1024 * 1024;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("codex-bench");
        Path file = dir.resolve("sessions/2026/10/14/rollout-2026-10-14T08-41-05-bench.jsonl");
        Files.createDirectories(file.getParent());
        long rounds = generate(file, targetBytes);

        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        long start = System.nanoTime();
        Rollout r = new RolloutReader(Json.mapper()).read(file, ThreadNames.none());
        long millis = (System.nanoTime() - start) / 1_000_000;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        // live set: what the mapped session holds once garbage is collected (r is still reachable here)
        System.gc();
        System.gc();
        long retained = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        if (!r.ok()) {
            throw new IllegalStateException("import failed: " + r.error());
        }
        System.out.printf("file_bytes=%d rounds=%d lines_parsed=%d lines_skipped=%d messages=%d messages_dropped=%d "
                        + "millis=%d peak_heap_mb=%.1f retained_heap_mb=%.1f max_heap_mb=%.1f%n",
                Files.size(file), rounds, r.stats().linesParsed(), r.stats().linesSkipped(),
                r.session().messages().size(), r.stats().messagesDropped(), millis, peak / 1048576.0, retained / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576.0);
    }

    /** Writes rounds of user text, reasoning, a tool call with a 2 KiB output, an answer and a token count. */
    static long generate(Path file, long targetBytes) throws IOException {
        String output = "line of tool output ".repeat(100);
        long rounds = 0;
        long written = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            written += line(w, "{\"timestamp\":\"2026-10-14T08:41:05.812Z\",\"type\":\"session_meta\",\"payload\":"
                    + "{\"id\":\"0199e3c1-4b2a-7d10-b6e2-5f0a9c7d3e18\",\"timestamp\":\"2026-10-14T08:41:05.790Z\","
                    + "\"cwd\":\"/srv/work/ledger\"}}");
            while (written < targetBytes) {
                String ts = "\"timestamp\":\"2026-10-14T09:" + String.format("%02d:%02d", rounds / 60 % 60, rounds % 60)
                        + ".000Z\"";
                written += line(w, "{" + ts + ",\"type\":\"response_item\",\"payload\":{\"type\":\"message\",\"role\":"
                        + "\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Please check module " + rounds
                        + " for currency handling and report what you find.\"}]}}");
                written += line(w, "{" + ts + ",\"type\":\"response_item\",\"payload\":{\"type\":\"reasoning\",\"summary\":[],"
                        + "\"content\":[{\"type\":\"reasoning_text\",\"text\":\"I should grep module " + rounds
                        + " for currency, then read the matching files and compare the defaults.\"}]}}");
                written += line(w, "{" + ts + ",\"type\":\"response_item\",\"payload\":{\"type\":\"function_call\",\"name\":"
                        + "\"exec_command\",\"arguments\":\"{\\\"cmd\\\":\\\"grep -rn currency mod" + rounds
                        + "\\\"}\",\"call_id\":\"call_" + rounds + "\"}}");
                written += line(w, "{" + ts + ",\"type\":\"response_item\",\"payload\":{\"type\":\"function_call_output\","
                        + "\"call_id\":\"call_" + rounds + "\",\"output\":\"" + output + "\"}}");
                written += line(w, "{" + ts + ",\"type\":\"response_item\",\"payload\":{\"type\":\"message\",\"role\":"
                        + "\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Module " + rounds
                        + " stores currency as CHAR(3) with default EUR; nothing else to change.\"}]}}");
                written += line(w, "{" + ts + ",\"type\":\"event_msg\",\"payload\":{\"type\":\"token_count\",\"info\":"
                        + "{\"total_token_usage\":{\"input_tokens\":" + (1000 + rounds) + ",\"cached_input_tokens\":512,"
                        + "\"output_tokens\":" + rounds + ",\"total_tokens\":" + (1000 + 2 * rounds) + "}}}}");
                rounds++;
            }
        }
        return rounds;
    }

    private static long line(BufferedWriter w, String s) throws IOException {
        w.write(s);
        w.write('\n');
        return s.length() + 1L; // ASCII only
    }
}
