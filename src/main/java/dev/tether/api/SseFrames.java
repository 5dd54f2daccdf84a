package dev.tether.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.TetherConfig;
import dev.tether.event.BusEvent;
import dev.tether.event.SubscriberLaggedException;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Turns a bus stream into SSE frames: {@code event: <type>}, {@code id: <seq>} for durable events (none for
 * ephemeral ones), {@code data: <event JSON>}, plus a keep-alive comment every {@code tether.events.keep-alive}. A
 * {@link SubscriberLaggedException} becomes a last {@code lagged} frame
 * ({@code {"type":"lagged","resume_after":N}}) and the stream ends; the client reconnects with {@code Last-Event-ID}.
 * The frames end when the bus stream ends (for a prompt: wrap it in {@code BusEvents.untilTerminal} first).
 *
 * <p>Use from a resource method annotated {@code @Produces(SERVER_SENT_EVENTS)} and
 * {@code @RestStreamElementType(APPLICATION_JSON)} returning {@code Multi<OutboundSseEvent>}, with the {@link Sse}
 * injected by {@code @Context}.
 */
@Singleton
public record SseFrames(ObjectMapper mapper, Duration keepAlive) {

    /** Name of the frame that ends a subscription that fell too far behind. */
    public static final String LAGGED = "lagged";

    private static final Object END = new Object();

    @Inject
    public SseFrames(ObjectMapper mapper, TetherConfig config) {
        this(mapper, config.events().keepAlive());
    }

    /** The SSE frames of {@code events}, with keep-alive comments, ending when {@code events} ends. */
    public Multi<OutboundSseEvent> stream(Multi<BusEvent> events, Sse sse) {
        Multi<Object> frames = events
                .<Object>map(e -> frame(e, sse))
                .onFailure(SubscriberLaggedException.class)
                .recoverWithItem(e -> lagged((SubscriberLaggedException) e, sse))
                .onCompletion().continueWith(END);
        // Ticks that nobody has asked for yet are dropped, not buffered: a keep-alive is only useful when sent.
        Multi<Object> ticks = Multi.createFrom().ticks().every(keepAlive).onOverflow().drop()
                .map(t -> sse.newEventBuilder().comment("keep-alive").build());
        // A first comment right away sends the response head, so the client knows it is following.
        Multi<Object> hello = Multi.createFrom().item(() -> sse.newEventBuilder().comment("following").build());
        return Multi.createBy().merging().streams(hello, frames, ticks)
                .select().first(f -> f != END)
                .map(OutboundSseEvent.class::cast);
    }

    /** One event as a frame. */
    public OutboundSseEvent frame(BusEvent event, Sse sse) {
        OutboundSseEvent.Builder b = sse.newEventBuilder().name(event.type()).data(String.class, json(event));
        if (event.seq() != null) {
            b.id(Long.toString(event.seq()));
        }
        return b.build();
    }

    private OutboundSseEvent lagged(SubscriberLaggedException e, Sse sse) {
        String data = mapper.createObjectNode().put("type", LAGGED).put("resume_after", e.resumeAfter()).toString();
        return sse.newEventBuilder().name(LAGGED).data(String.class, data).build();
    }

    private String json(BusEvent event) {
        try {
            return mapper.writeValueAsString(event.event());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
