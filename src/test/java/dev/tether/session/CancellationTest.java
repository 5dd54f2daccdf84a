package dev.tether.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CancellationTest {

    private final Cancellation cancellation = new Cancellation();

    @Test
    void aRegisteredCallbackRunsOnceOnCancelAndAClosedOneNever() {
        AtomicInteger kept = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        cancellation.onCancel(kept::incrementAndGet);
        try (Cancellation.Registration registration = cancellation.onCancel(closed::incrementAndGet)) {
            assertEquals(0, closed.get());
        } // no catch: closing a registration throws no checked exception

        assertTrue(cancellation.cancel());
        assertFalse(cancellation.cancel(), "a second cancel is a no-op");
        assertEquals(1, kept.get());
        assertEquals(0, closed.get(), "the closed registration was removed");
        assertThrows(Cancellation.CancelledException.class, cancellation::check);
    }

    @Test
    void aCallbackRegisteredAfterTheCancelRunsAtOnceAndAFailingOneDoesNotStopTheOthers() {
        AtomicInteger ran = new AtomicInteger();
        cancellation.onCancel(() -> {
            throw new IllegalStateException("failing callback");
        });
        cancellation.onCancel(ran::incrementAndGet);
        cancellation.cancel();
        assertEquals(1, ran.get());

        try (Cancellation.Registration late = cancellation.onCancel(ran::incrementAndGet)) {
            assertEquals(2, ran.get(), "registered on a cancelled handle: ran at once");
        }
    }
}
