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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Everything a turn uses besides its own state ({@link TurnRunner}), wired once: context management, RLM, titles,
 * tools, system prompts, the provider caller, meters and the context-change hook.
 */
@ApplicationScoped
public class TurnServices {

    private final TetherConfig config;
    private final ContextManager context;
    private final RlmEngine rlm;
    private final TitleGenerator titles;
    private final ToolCallExecutor executor;
    private final ToolRegistry tools;
    private final SystemPrompts prompts;
    private final ProviderCaller caller;
    private final MeterRegistry meters;
    private final WorkspaceRoot workspaceRoot;
    private final ContextChangeHook contextChanges;
    private final LoopMetrics loopMetrics;
    private final List<ToolDefinition> toolDefinitions;

    @Inject
    public TurnServices(TetherConfig config, ContextManager context, RlmEngine rlm, TitleGenerator titles,
                        ToolCallExecutor executor, ToolRegistry tools, SystemPrompts prompts, MeterRegistry meters,
                        WorkspaceRoot workspaceRoot, ContextChangeHook contextChanges) {
        this(config, context, rlm, titles, executor, tools, prompts, meters, workspaceRoot, contextChanges,
                new ProviderCaller(Sleeper.REAL, config.agent().maxStreamRestarts(), config.agent().maxCallDuration()));
    }

    private TurnServices(TetherConfig config, ContextManager context, RlmEngine rlm, TitleGenerator titles,
                         ToolCallExecutor executor, ToolRegistry tools, SystemPrompts prompts, MeterRegistry meters,
                         WorkspaceRoot workspaceRoot, ContextChangeHook contextChanges, ProviderCaller caller) {
        this.config = config;
        this.context = context;
        this.rlm = rlm;
        this.titles = titles;
        this.executor = executor;
        this.tools = tools;
        this.prompts = prompts;
        this.meters = meters;
        this.workspaceRoot = workspaceRoot;
        this.contextChanges = contextChanges;
        this.caller = caller;
        this.loopMetrics = new LoopMetrics(meters, tools);
        // the registry is fixed at start: every request shares one list (its schemas copied once, never per request);
        // List.copyOf, not Stream.toList: requests take List.copyOf of it, which keeps only the former as it is, and the
        // token estimate of the tools is kept for as long as the same list comes back
        this.toolDefinitions = List.copyOf(tools.tools().stream()
                .map(t -> new ToolDefinition(t.name(), t.description(), t.parameters())).toList());
    }

    /** The same services with another provider caller (tests record retry waits instead of sleeping them). */
    TurnServices withCaller(ProviderCaller other) {
        return new TurnServices(config, context, rlm, titles, executor, tools, prompts, meters, workspaceRoot,
                contextChanges, other);
    }

    /** The definitions of the enabled tools, as advertised to models. */
    List<ToolDefinition> toolDefinitions() {
        return toolDefinitions;
    }

    /** A turn's (or a manual compaction's) view of the session's bus, with usage summing and loop meters. */
    TurnEmitter emitter(SessionBus bus) {
        return new TurnEmitter(bus, loopMetrics);
    }

    TetherConfig config() {
        return config;
    }

    ContextManager context() {
        return context;
    }

    RlmEngine rlm() {
        return rlm;
    }

    TitleGenerator titles() {
        return titles;
    }

    ToolCallExecutor executor() {
        return executor;
    }

    SystemPrompts prompts() {
        return prompts;
    }

    ProviderCaller caller() {
        return caller;
    }

    MeterRegistry meters() {
        return meters;
    }

    WorkspaceRoot workspaceRoot() {
        return workspaceRoot;
    }

    ContextChangeHook contextChanges() {
        return contextChanges;
    }
}
