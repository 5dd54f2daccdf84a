package dev.tether.session.store;

import dev.tether.testing.StoreDefaults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.session.Message;
import dev.tether.session.Session;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancellation interrupts tool threads, and tool threads emit durable events: an interrupted thread must still be
 * able to append, and must not close the journal for everyone else.
 */
class InterruptedWriterTest {

    @TempDir
    Path dir;

    @Test
    void appendsFromAnInterruptedThreadSucceedAndKeepTheJournalOpen() {
        try (FileSessionStore store = new FileSessionStore(dir, StoreDefaults.settings(), new SimpleMeterRegistry())) {
            appendAcrossAnInterrupt(store);
        }
    }

    private static void appendAcrossAnInterrupt(FileSessionStore store) {
        Session session = Session.create(null, null, null, Instant.now());
        store.create(session);
        try (SessionWriter writer = store.openWriter(session.id())) {
            writer.appendMessage(Message.userText("before"), Instant.now());
            Thread.currentThread().interrupt();
            try {
                writer.appendMessage(Message.userText("while interrupted"), Instant.now());
            } finally {
                assertTrue(Thread.interrupted(), "the interrupt status is left to its owner");
            }
            writer.appendMessage(Message.userText("after"), Instant.now());
        }
        assertEquals(3, store.load(session.id()).messages().size());
    }
}
