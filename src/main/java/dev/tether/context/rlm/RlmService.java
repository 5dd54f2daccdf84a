package dev.tether.context.rlm;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.Json;
import dev.tether.context.AuxiliaryCaller;
import dev.tether.context.ContextWindows;
import dev.tether.context.RlmEngine;
import dev.tether.context.RlmResult;
import dev.tether.provider.ModelResolver;
import dev.tether.session.RlmConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The {@link RlmEngine} bean: wires routing ({@link OutputRouting}), the iterative loop ({@link IterativeLoop}) and
 * summary mode ({@link SummaryMode}) to the model resolver, the context windows and the auxiliary caller.
 */
@ApplicationScoped
public class RlmService implements RlmEngine {

    private final OutputRouting routing;
    private final IterativeLoop loop;
    private final SummaryMode summary;

    @Inject
    public RlmService(ModelResolver resolver, ContextWindows windows, AuxiliaryCaller caller, MeterRegistry registry,
                      ObjectMapper json) {
        // the models' tool-call arguments are JSON of other writers: read leniently (Json.internal)
        RlmWiring wiring = new RlmWiring(resolver, windows, caller, new RlmMeters(registry), Json.internal(json));
        this.loop = new IterativeLoop(wiring);
        this.routing = new OutputRouting(windows, loop);
        this.summary = new SummaryMode(wiring);
    }

    /** Built without CDI: the service's mapper ({@link Json#mapper()}). */
    public RlmService(ModelResolver resolver, ContextWindows windows, AuxiliaryCaller caller, MeterRegistry registry) {
        this(resolver, windows, caller, registry, Json.mapper());
    }

    @Override
    public boolean shouldRoute(RlmConfig rlm, boolean bulk, String output, String sessionModel,
                               long currentContextTokens) {
        return routing.shouldRoute(rlm, bulk, output, sessionModel, currentContextTokens);
    }

    @Override
    public RoutedOutput route(RouteRequest request) {
        return routing.route(request);
    }

    @Override
    public RlmResult run(RlmRequest request) {
        return loop.run(request);
    }

    @Override
    public RlmResult summarize(SummaryRequest request) {
        return summary.summarize(request);
    }
}
