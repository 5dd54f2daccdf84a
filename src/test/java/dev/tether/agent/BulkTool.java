package dev.tether.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.tool.OutputKind;
import dev.tether.tool.SchemaBuilder;
import dev.tether.tool.Tool;
import dev.tether.tool.ToolContext;
import dev.tether.tool.ToolResult;
import jakarta.enterprise.context.ApplicationScoped;

/** A test tool whose output kind is bulk: returns {@link #OUTPUT}, about 200 KB of service log (§7.2 routing). */
@ApplicationScoped
public class BulkTool implements Tool {

    static final String NAME = "test_bulk";
    static final String OUTPUT = log();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Test tool: returns a large service log.";
    }

    @Override
    public ObjectNode parameters() {
        return SchemaBuilder.object().build();
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public OutputKind outputKind() {
        return OutputKind.BULK;
    }

    @Override
    public ToolResult execute(ObjectNode arguments, ToolContext context) {
        return ToolResult.success(OUTPUT);
    }

    /** About 200 KB of log lines, three of them timeouts. */
    private static String log() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 200_000; i++) {
            if (i % 1000 == 500) {
                sb.append(String.format("2026-11-25T10:%02d:%02d.%03dZ ERROR worker-%d request r%06d timed out after"
                        + " 30000 ms\n", (i / 60) % 60, i % 60, i % 1000, i % 8, i));
            } else {
                sb.append(String.format("2026-11-25T10:%02d:%02d.%03dZ INFO worker-%d handled request r%06d in %d ms\n",
                        (i / 60) % 60, i % 60, i % 1000, i % 8, i, 5 + i % 90));
            }
        }
        return sb.toString();
    }
}
