package dev.tether.tool;

import dev.tether.config.TetherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The enabled tools: every {@link Tool} bean, except {@code bash} unless {@code tether.tools.bash.enabled}. A disabled
 * tool is neither advertised nor callable (a call to it is an unknown tool, spec §4.6). Tools are kept sorted by name.
 */
@ApplicationScoped
public class ToolRegistry {

    private final Map<String, Tool> tools;

    @Inject
    public ToolRegistry(Instance<Tool> beans, TetherConfig config) {
        this(beans, config.tools().bash().enabled());
    }

    /** Registry of the given tools; {@code bash} is dropped unless {@code bashEnabled}. */
    public ToolRegistry(Iterable<? extends Tool> candidates, boolean bashEnabled) {
        Map<String, Tool> byName = new TreeMap<>();
        for (Tool tool : candidates) {
            if (tool.name().equals("bash") && !bashEnabled) {
                continue;
            }
            if (byName.putIfAbsent(tool.name(), tool) != null) {
                throw new IllegalStateException("two tools are named " + tool.name());
            }
        }
        this.tools = Collections.unmodifiableMap(byName);
    }

    /** The seven built-in tools ({@code bash} only when enabled); for use without CDI. */
    public static ToolRegistry builtins(boolean bashEnabled) {
        return new ToolRegistry(List.of(new ListTool(), new ReadTool(), new WriteTool(), new EditTool(),
                new GlobTool(), new GrepTool(), new BashTool()), bashEnabled);
    }

    /** The enabled tool of that name. */
    public Optional<Tool> find(String name) {
        return Optional.ofNullable(name == null ? null : tools.get(name));
    }

    /** The enabled tools, sorted by name. */
    public List<Tool> tools() {
        return new ArrayList<>(tools.values());
    }

    /** Names of the enabled tools, sorted. */
    public List<String> names() {
        return new ArrayList<>(tools.keySet());
    }
}
