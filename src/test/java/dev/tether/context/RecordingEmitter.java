package dev.tether.context;

import dev.tether.event.EventEmitter;
import dev.tether.event.SessionEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every emitted event, in order. */
public final class RecordingEmitter implements EventEmitter {

    public final List<SessionEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void emit(SessionEvent event) {
        events.add(event);
    }

    public List<String> types() {
        return events.stream().map(SessionEvent::type).toList();
    }

    public <T extends SessionEvent> List<T> of(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Types without the ephemeral RLM/token noise, for asserting compaction sequences. */
    public List<String> compactionTypes() {
        return types().stream().filter(t -> t.startsWith("compaction_") || t.equals("context_truncated")).toList();
    }
}
