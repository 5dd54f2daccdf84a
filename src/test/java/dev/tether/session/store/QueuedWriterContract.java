package dev.tether.session.store;

import static dev.tether.session.store.SessionStoreContract.T0;
import static dev.tether.session.store.SessionStoreContract.session;
import static dev.tether.session.store.SessionStoreContract.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.session.Cancellation;
import dev.tether.session.Message;
import dev.tether.session.SessionBusyException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionStore#awaitWriter} between two stores on one backing (two replicas on one schema, two processes on
 * one data directory), for prompts queued with {@code if_busy: queue}: the waiting one gets the writer once the other
 * closes it, and gives up when cancelled or when its bound passes.
 */
interface QueuedWriterContract {

    /** Another store on the test's backing, as another replica or process would open it. */
    SessionStore replica();

    @Test
    default void aQueuedWriterOnAnotherReplicaGetsTheSessionOnceItsWriterCloses() throws Exception {
        SessionStore replicaA = replica();
        replicaA.create(session("s1", null, T0));
        SessionStore replicaB = replica();
        SessionWriter first = replicaA.openWriter("s1");
        CountDownLatch attempts = new CountDownLatch(3); // refused twice, then trying again
        CompletableFuture<SessionWriter> queued = CompletableFuture.supplyAsync(() -> WriterWait.await("s1", () -> {
            attempts.countDown();
            return replicaB.openWriter("s1");
        }, Duration.ofMinutes(1), new Cancellation()));
        assertTrue(attempts.await(30, TimeUnit.SECONDS), "B retried while A held the writer");
        assertFalse(queued.isDone(), "B waits while A holds the writer");
        first.appendMessage(Message.userText("written by A"), T0.plusSeconds(1));
        first.close();
        try (SessionWriter second = queued.get(30, TimeUnit.SECONDS)) {
            assertEquals(List.of("written by A"), texts(second.current()), "B reads after taking the lock");
            second.appendMessage(Message.userText("then by B"), T0.plusSeconds(2));
        }
        assertEquals(List.of("written by A", "then by B"), texts(replicaA.load("s1")));
    }

    @Test
    default void aQueuedWriterGivesUpWhenCancelledOrWhenItsBoundPasses() throws Exception {
        SessionStore replicaA = replica();
        replicaA.create(session("s1", null, T0));
        SessionStore replicaB = replica();
        try (SessionWriter held = replicaA.openWriter("s1")) {
            assertThrows(SessionBusyException.class,
                    () -> replicaB.awaitWriter("s1", Duration.ofMillis(50), new Cancellation()), "bound passed");
            Cancellation cancellation = new Cancellation();
            CountDownLatch retried = new CountDownLatch(2);
            CompletableFuture<SessionWriter> queued = CompletableFuture.supplyAsync(() -> WriterWait.await("s1", () -> {
                retried.countDown();
                return replicaB.openWriter("s1");
            }, Duration.ofMinutes(1), cancellation));
            assertTrue(retried.await(30, TimeUnit.SECONDS));
            cancellation.cancel();
            ExecutionException failed = assertThrows(ExecutionException.class, () -> queued.get(30, TimeUnit.SECONDS));
            assertInstanceOf(Cancellation.CancelledException.class, failed.getCause());
            assertEquals(1, held.appendMessage(Message.userText("A still writes"), T0.plusSeconds(1)));
        }
    }
}
