package dev.tether.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TurnThreadsTest {

    private final TurnThreads threads = new TurnThreads(2);

    @AfterEach
    void tearDown() {
        threads.close();
    }

    @Test
    void aPromptBeyondTheLimitIsRefusedAtOnceWith503AndAdmittedAgainOnceATurnEnded() throws Exception {
        CountDownLatch running = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstEnded = new CountDownLatch(1);
        threads.start(admission -> {
            running.countDown();
            await(release);
            admission.leave(); // as the turn's release does, before its terminal event reaches anyone
            firstEnded.countDown();
        });
        CountDownLatch holdSecond = new CountDownLatch(1);
        threads.start(admission -> {
            running.countDown();
            await(holdSecond);
        });
        assertTrue(running.await(10, TimeUnit.SECONDS), "both admitted turns run at once");
        assertEquals(2, threads.admitted());

        TooManyTurnsException refused = assertThrows(TooManyTurnsException.class,
                () -> threads.start(admission -> { }));
        assertEquals(503, refused.status());
        assertEquals("too-many-turns", refused.problemType());
        assertTrue(refused.getMessage().contains("tether.agent.max-concurrent-turns"), refused.getMessage());

        release.countDown();
        assertTrue(firstEnded.await(10, TimeUnit.SECONDS));
        CountDownLatch third = new CountDownLatch(1);
        threads.start(admission -> third.countDown());
        assertTrue(third.await(10, TimeUnit.SECONDS), "a freed place admits the next prompt");
        holdSecond.countDown();
    }

    @Test
    void turnsRunOnPooledThreadsNotTheCallersAndDrainWaitsForThem() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CountDownLatch release = new CountDownLatch(1);
        threads.start(admission -> {
            ranOn.set(Thread.currentThread());
            await(release);
        });
        assertFalse(threads.drain(Duration.ofMillis(100)), "a running turn keeps the drain waiting");
        release.countDown();
        assertTrue(threads.drain(Duration.ofSeconds(10)), "the drain ends once the turn ended");
        assertNotEquals(Thread.currentThread(), ranOn.get());
        assertThrows(RuntimeException.class, () -> threads.start(admission -> { }), "no turn starts after the drain");
        assertEquals(0, threads.admitted(), "a refused start holds no place");
    }

    @Test
    void aLimitBelowOneIsAConfigurationError() {
        assertThrows(IllegalArgumentException.class, () -> new TurnThreads(0));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
