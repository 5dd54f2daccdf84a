package dev.tether.agent;

import dev.tether.config.TetherConfig;
import dev.tether.context.ContextManager;
import dev.tether.context.RlmEngine;
import dev.tether.context.TitleGenerator;
import dev.tether.event.SessionBus;
import dev.tether.provider.ToolDefinition;
import dev.tether.tool.ToolRegistry;
import dev.tether.tool.WorkspaceRoot;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Everything a turn uses besides its own state ({@link TurnRunner}), wired once by {@link Producer}: context
 * management, RLM, titles, tools, system prompts, the provider caller, meters and the context-change hook.
 */
record TurnServices(TetherConfig config, ContextManager context, RlmEngine rlm, TitleGenerator titles,
                    ToolCallExecutor executor, ToolRegistry tools, SystemPrompts prompts, ProviderCaller caller,
                    MeterRegistry meters, WorkspaceRoot workspaceRoot, ContextChangeHook contextChanges,
                    LoopMetrics loopMetrics, List<ToolDefinition> toolDefinitions) {

    /** The same services with another provider caller (tests record retry waits instead of sleeping them). */
    TurnServices withCaller(ProviderCaller other) {
        return new TurnServices(config, context, rlm, titles, executor, tools, prompts, other, meters, workspaceRoot,
                contextChanges, loopMetrics, toolDefinitions);
    }

    /** A turn's (or a manual compaction's) view of the session's bus, with usage summing and loop meters. */
    TurnEmitter emitter(SessionBus bus) {
        return new TurnEmitter(bus, loopMetrics);
    }

    /** Wires the services once, with the real provider caller (it sleeps its retry waits). */
    @Dependent
    static class Producer {

        @Produces
        @Singleton
        TurnServices turnServices(TetherConfig config, ContextManager context, RlmEngine rlm, TitleGenerator titles,
                                  ToolCallExecutor executor, ToolRegistry tools, SystemPrompts prompts,
                                  MeterRegistry meters, WorkspaceRoot workspaceRoot, ContextChangeHook contextChanges) {
            ProviderCaller caller = new ProviderCaller(Sleeper.REAL, config.agent().maxStreamRestarts(),
                    config.agent().maxCallDuration());
            // the registry is fixed at start: every request shares one list (its schemas copied once, never per
            // request); List.copyOf, not Stream.toList: requests take List.copyOf of it, which keeps only the former
            // as it is, and the token estimate of the tools is kept for as long as the same list comes back
            List<ToolDefinition> definitions = List.copyOf(tools.tools().stream()
                    .map(t -> new ToolDefinition(t.name(), t.description(), t.parameters())).toList());
            return new TurnServices(config, context, rlm, titles, executor, tools, prompts, caller, meters,
                    workspaceRoot, contextChanges, new LoopMetrics(meters, tools), definitions);
        }
    }
}
