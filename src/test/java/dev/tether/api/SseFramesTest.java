package dev.tether.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.Json;
import dev.tether.event.BusEvent;
import dev.tether.event.BusEvents;
import dev.tether.event.SessionEvent;
import dev.tether.event.SubscriberLaggedException;
import dev.tether.session.SessionResult;
import dev.tether.session.TerminalReason;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.time.Duration;
import java.util.List;
import org.jboss.resteasy.reactive.server.jaxrs.SseImpl;
import org.junit.jupiter.api.Test;

/** The frame mapping, keep-alive comments, the lagged frame and the end of a prompt stream. */
class SseFramesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final ObjectMapper mapper = Json.mapper();

    private static SessionEvent done() {
        return new SessionEvent.Done(new SessionResult("ok", "s", TerminalReason.COMPLETED, 1, null, null));
    }

    @Test
    void durableFramesHaveTheSequenceAsIdAndEphemeralOnesNone() throws Exception {
        SseFrames frames = new SseFrames(mapper, Duration.ofSeconds(15));
        OutboundSseEvent durable = frames.frame(new BusEvent(7L, new SessionEvent.TextComplete("a")), SseImpl.INSTANCE);
        assertEquals("text_complete", durable.getName());
        assertEquals("7", durable.getId());
        assertEquals("{\"type\":\"text_complete\",\"text\":\"a\"}", durable.getData());
        OutboundSseEvent chunk = frames.frame(new BusEvent(null, new SessionEvent.TextChunk("a")), SseImpl.INSTANCE);
        assertNull(chunk.getId());
    }

    @Test
    void keepAliveCommentsFlowWhileNothingHappensAndTheStreamDoesNotEnd() {
        SseFrames frames = new SseFrames(mapper, Duration.ofMillis(50));
        UnicastProcessor<BusEvent> bus = UnicastProcessor.create();
        AssertSubscriber<OutboundSseEvent> s = frames.stream(bus, SseImpl.INSTANCE).subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        s.awaitItems(4, WAIT); // "following", then keep-alives
        assertTrue(s.getItems().stream().allMatch(f -> f.getComment() != null && f.getName() == null));
        assertEquals("keep-alive", s.getItems().get(3).getComment());
        s.assertNotTerminated();
        s.cancel();
    }

    @Test
    void laggedBecomesALastFrameAndTheStreamEnds() throws Exception {
        SseFrames frames = new SseFrames(mapper, Duration.ofSeconds(15));
        Multi<BusEvent> lagging = Multi.createFrom().<BusEvent>items(new BusEvent(3L, new SessionEvent.TextComplete("x")))
                .onCompletion().failWith(new SubscriberLaggedException("s", 3, 10_000));
        AssertSubscriber<OutboundSseEvent> s = frames.stream(lagging, SseImpl.INSTANCE).subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        s.awaitCompletion(WAIT);
        List<OutboundSseEvent> named = s.getItems().stream().filter(f -> f.getName() != null).toList();
        assertEquals(List.of("text_complete", "lagged"), named.stream().map(OutboundSseEvent::getName).toList());
        assertEquals(mapper.readTree("{\"type\":\"lagged\",\"resume_after\":3}"),
                mapper.readTree((String) named.get(1).getData()));
    }

    @Test
    void aPromptStreamEndsAfterItsTerminalEvent() {
        SseFrames frames = new SseFrames(mapper, Duration.ofSeconds(15));
        UnicastProcessor<BusEvent> bus = UnicastProcessor.create();
        AssertSubscriber<OutboundSseEvent> s = frames.stream(BusEvents.untilTerminal(bus), SseImpl.INSTANCE)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        bus.onNext(new BusEvent(null, new SessionEvent.Thinking()));
        bus.onNext(new BusEvent(1L, done()));
        s.awaitCompletion(WAIT);
        assertEquals(List.of("thinking", "done"), s.getItems().stream().filter(f -> f.getName() != null)
                .map(OutboundSseEvent::getName).toList());
    }
}
