package dev.tether.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.tool.OutputKind;
import dev.tether.tool.SchemaBuilder;
import dev.tether.tool.Tool;
import dev.tether.tool.ToolContext;
import dev.tether.tool.ToolResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

/** A test tool that runs until the turn is cancelled: lets tests abort "during a slow tool". */
@ApplicationScoped
public class SlowTool implements Tool {

    public static final String NAME = "test_slow";
    public static final Semaphore STARTED = new Semaphore(0);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Test tool: waits until cancelled.";
    }

    @Override
    public ObjectNode parameters() {
        return SchemaBuilder.object().build();
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public OutputKind outputKind() {
        return OutputKind.EXACT;
    }

    @Override
    public ToolResult execute(ObjectNode arguments, ToolContext context) throws Exception {
        STARTED.release();
        new CountDownLatch(1).await(); // interrupted by cancellation
        return ToolResult.success("never");
    }
}
