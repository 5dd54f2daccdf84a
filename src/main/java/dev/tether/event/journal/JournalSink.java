package dev.tether.event.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.event.DurableSink;
import dev.tether.event.SessionEvent;
import dev.tether.session.store.SessionWriter;
import java.util.Objects;

/**
 * Records durable events in the session's journal through its open {@link SessionWriter}: a write stages the event,
 * {@link #flush()} commits it with everything else the writer staged (one fsync, {@link SessionWriter#commit()}); the
 * journal sequence is the event's SSE {@code id}. Valid while the writer is open: attach it to the bus
 * for exactly that time (through {@link JournalSinks#bindTo}).
 */
public final class JournalSink implements DurableSink {

    private final SessionWriter writer;
    private final ObjectMapper mapper;

    public JournalSink(SessionWriter writer, ObjectMapper mapper) {
        this.writer = Objects.requireNonNull(writer);
        this.mapper = Objects.requireNonNull(mapper);
    }

    @Override
    public long write(SessionEvent event) {
        // The tree carries "type" (inherited @JsonTypeInfo) and is exactly what subscribers receive.
        return writer.appendEvent(mapper.valueToTree(event));
    }

    @Override
    public boolean groupsWrites() {
        return true;
    }

    @Override
    public void flush() {
        writer.commit();
    }
}
