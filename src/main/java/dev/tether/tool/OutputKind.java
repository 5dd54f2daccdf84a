package dev.tether.tool;

/** Whether a tool's output may be summarised (spec §7.2): only {@code BULK} outputs are ever routed to RLM. */
public enum OutputKind {
    EXACT, BULK, UNKNOWN
}
