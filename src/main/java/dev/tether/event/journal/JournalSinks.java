package dev.tether.event.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.event.DurableSink;
import dev.tether.session.store.SessionWriter;
import jakarta.inject.Singleton;

/**
 * Makes the {@link DurableSink} a session's bus records into while a writer of that session is open: a
 * {@link JournalSink} on the writer. One bean, so that every writer of sessions (turns, manual compaction) records
 * events the same way and tests can put a failing sink behind the real loop (spec §5.5, scenario 27).
 */
@Singleton // a stateless factory: no client proxy, so tests can subclass it
public class JournalSinks {

    private final ObjectMapper mapper;

    public JournalSinks(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The sink of {@code writer}'s session; valid while the writer is open. */
    public DurableSink bindTo(SessionWriter writer) {
        return new JournalSink(writer, mapper);
    }
}
