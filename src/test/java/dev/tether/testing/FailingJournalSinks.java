package dev.tether.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.event.DurableSink;
import dev.tether.event.journal.JournalSinks;
import dev.tether.session.store.SessionWriter;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Alternative;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link JournalSinks} whose sinks throw on every write for the sessions a test names ({@link #failFor}), as a full
 * disk would, and record into the real journal otherwise. Enable it in a test profile
 * ({@code getEnabledAlternatives}) to run the real loop over HTTP against a failing durable sink (spec §5.5,
 * scenario 27).
 */
@Alternative
@Singleton
public class FailingJournalSinks extends JournalSinks {

    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final AtomicInteger failedWrites = new AtomicInteger();

    public FailingJournalSinks(ObjectMapper mapper) {
        super(mapper);
    }

    /** From now on every durable write of this session fails. */
    public void failFor(String sessionId) {
        failing.add(sessionId);
    }

    /** How many writes failed so far. */
    public int failedWrites() {
        return failedWrites.get();
    }

    @Override
    public DurableSink bindTo(SessionWriter writer) {
        DurableSink journal = super.bindTo(writer);
        String sessionId = writer.current().id();
        return event -> {
            if (failing.contains(sessionId)) {
                failedWrites.incrementAndGet();
                throw new UncheckedIOException(new IOException("No space left on device (test sink)"));
            }
            return journal.write(event);
        };
    }
}
