package dev.tether.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.TetherConfig;
import dev.tether.event.BusEvent;
import dev.tether.event.BusEvents;
import dev.tether.event.EventJournal;
import dev.tether.event.SessionBus;
import dev.tether.event.SessionBuses;
import dev.tether.event.SessionEvent;
import dev.tether.session.IdempotencyKeyReusedException;
import dev.tether.session.InvalidRequestException;
import dev.tether.session.KeyedTurn;
import dev.tether.session.SessionIds;
import dev.tether.session.SessionResult;
import dev.tether.session.TerminalReason;
import dev.tether.session.Usage;
import dev.tether.session.store.SessionStore;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * Prompts sent with an {@code Idempotency-Key} (spec §3.1.1): a retry with the same key and the same request gets the
 * first turn's outcome and never runs the prompt again. While that turn runs, a retry joins it (the JSON result when
 * it ends; as SSE, the turn's durable events from its start, replayed from the journal, then live); once it ended, the
 * result recorded in the session's journal answers (as SSE: the turn's recorded events and its terminal event), also
 * after a restart. The same key with another request is refused with 422. Keys are per session and remembered for
 * {@code tether.agent.idempotency-retention} from the start of their turn.
 *
 * <p>Concurrent requests with one key share one in-flight entry of this process; the journal record made with the
 * turn's user message covers everything after that.
 */
@ApplicationScoped
public class IdempotentPrompts {

    static final int MAX_KEY_LENGTH = 255;
    /** The error of a keyed turn whose process stopped before it ended (nothing recorded its result). */
    static final String INTERRUPTED = "The turn was interrupted: the service stopped before it ended; the session's "
            + "transcript keeps what it did";

    private final AgentService agent;
    private final SessionStore store;
    private final SessionBuses buses;
    private final EventJournal journal;
    private final ObjectMapper mapper;
    private final Duration retention;
    private final Clock clock;
    private final ConcurrentMap<InFlightId, InFlight> inFlight = new ConcurrentHashMap<>();

    @Inject
    public IdempotentPrompts(AgentService agent, SessionStore store, SessionBuses buses, EventJournal journal,
                             ObjectMapper mapper, TetherConfig config) {
        this(agent, store, buses, journal, mapper, config.agent().idempotencyRetention(), Clock.systemUTC());
    }

    IdempotentPrompts(AgentService agent, SessionStore store, SessionBuses buses, EventJournal journal,
                      ObjectMapper mapper, Duration retention, Clock clock) {
        this.agent = agent;
        this.store = store;
        this.buses = buses;
        this.journal = journal;
        this.mapper = mapper;
        this.retention = retention;
        this.clock = clock;
    }

    private record InFlightId(String sessionId, String key) {
    }

    /** How a duplicate follows the turn of its key. */
    private sealed interface Found {
        /** The turn runs; its events follow journal sequence {@code startSeq}. */
        record Running(long startSeq) implements Found {
        }

        /** The turn ended with {@code result}; {@code turn} is its journal record, null when none was made. */
        record Ended(KeyedTurn turn, SessionResult result) implements Found {
        }
    }

    /** A keyed prompt of this process that has not ended yet. */
    private static final class InFlight {
        final String requestHash;
        final CompletableFuture<Found> found = new CompletableFuture<>();
        final CompletableFuture<SessionResult> result = new CompletableFuture<>();

        InFlight(String requestHash) {
            this.requestHash = requestHash;
        }

        void ended(KeyedTurn turn, SessionResult r) {
            found.complete(new Found.Ended(turn, r)); // no-op once it was found running
            result.complete(r);
        }

        void failed(Throwable t) {
            found.completeExceptionally(t);
            result.completeExceptionally(t);
        }
    }

    /**
     * Starts the prompt, or finds the turn its key already started. A new turn starts as with
     * {@link AgentService#start} ({@code beforeTurn} runs before it emits anything). For a duplicate, {@code
     * beforeTurn} is not called; {@code duplicateEvents} receives the original turn's events up to its terminal one.
     * The future gives the turn's {@link SessionResult} either way. Throws the precondition problems of a prompt,
     * 400 for a malformed key and 422 for a key used with another request.
     */
    public CompletableFuture<SessionResult> start(String sessionId, PromptRequest request, String key,
                                                  Consumer<SessionBus> beforeTurn,
                                                  Consumer<Multi<BusEvent>> duplicateEvents) {
        String k = requireValidKey(key);
        SessionIds.require(sessionId);
        String hash = requestHash(request);
        InFlightId id = new InFlightId(sessionId, k);
        InFlight mine = new InFlight(hash);
        InFlight running = inFlight.putIfAbsent(id, mine);
        if (running != null) {
            requireSameRequest(running.requestHash, hash);
            return follow(sessionId, running, duplicateEvents);
        }
        mine.result.whenComplete((r, failure) -> inFlight.remove(id, mine));
        try {
            Optional<KeyedTurn> recorded = store.keyedTurn(sessionId, k, clock.instant());
            if (recorded.isPresent()) {
                requireSameRequest(recorded.get().requestHash(), hash);
                KeyedTurn turn = recorded.get();
                mine.ended(turn, turn.hasEnded() ? turn.result() : interrupted(sessionId));
                return follow(sessionId, mine, duplicateEvents);
            }
            TurnKey turnKey = new TurnKey(k, hash, retention, seq -> mine.found.complete(new Found.Running(seq)));
            agent.start(sessionId, request, turnKey, beforeTurn).whenComplete((r, failure) -> {
                if (failure != null) {
                    mine.failed(failure);
                } else {
                    mine.ended(null, r);
                }
            });
        } catch (RuntimeException e) {
            mine.failed(e);
            throw e;
        }
        return copy(mine.result);
    }

    /** {@code Idempotency-Key} syntax: 1 to 255 printable ASCII characters, not all blank; else 400. */
    static String requireValidKey(String key) {
        boolean valid = key != null && !key.isBlank() && key.length() <= MAX_KEY_LENGTH;
        for (int i = 0; valid && i < key.length(); i++) {
            char c = key.charAt(i);
            valid = c >= 0x20 && c <= 0x7e;
        }
        if (!valid) {
            throw new InvalidRequestException("Idempotency-Key must be 1 to " + MAX_KEY_LENGTH
                    + " printable ASCII characters");
        }
        return key;
    }

    /** SHA-256 of the request as JSON (after defaults), so that a retry must repeat the same request. */
    String requestHash(PromptRequest request) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(mapper.writeValueAsBytes(request));
            return HexFormat.of().formatHex(digest);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash the prompt request", e);
        }
    }

    private static void requireSameRequest(String recordedHash, String hash) {
        if (!recordedHash.equals(hash)) {
            throw new IdempotencyKeyReusedException(
                    "This Idempotency-Key was already used with a different request on this session");
        }
    }

    private CompletableFuture<SessionResult> follow(String sessionId, InFlight turn,
                                                    Consumer<Multi<BusEvent>> duplicateEvents) {
        turn.found.thenAccept(found -> duplicateEvents.accept(events(sessionId, found)));
        return copy(turn.result);
    }

    /** Each caller gets its own future: one that gives up (a client going away) must not cancel it for the others. */
    private static CompletableFuture<SessionResult> copy(CompletableFuture<SessionResult> shared) {
        return shared.thenApply(r -> r);
    }

    private Multi<BusEvent> events(String sessionId, Found found) {
        if (found instanceof Found.Running running) {
            return BusEvents.untilTerminal(buses.bus(sessionId).subscribe(running.startSeq()));
        }
        Found.Ended ended = (Found.Ended) found;
        return Multi.createFrom().deferred(() -> Multi.createFrom().iterable(recordedEvents(sessionId, ended)))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /**
     * The recorded durable events of an ended turn: those the journal still holds after its user message, up to its
     * terminal event (which follows the result record). When that is gone (or was never written), a terminal event
     * made from the recorded result ends the stream.
     */
    private List<BusEvent> recordedEvents(String sessionId, Found.Ended ended) {
        List<BusEvent> out = new ArrayList<>();
        KeyedTurn turn = ended.turn();
        if (turn != null && turn.hasEnded()) {
            for (BusEvent e : journal.eventsAfter(sessionId, turn.startSeq())) {
                if (e.seq() > turn.resultSeq() + 1) {
                    break;
                }
                out.add(e);
                if (e.event().isTerminal()) {
                    return out;
                }
            }
        }
        SessionResult r = ended.result();
        out.add(new BusEvent(null, r.terminalReason() == TerminalReason.ERROR ? new SessionEvent.Error(r.error(), r)
                : new SessionEvent.Done(r)));
        return out;
    }

    private static SessionResult interrupted(String sessionId) {
        return new SessionResult("", sessionId, TerminalReason.ERROR, 0, Usage.ZERO, INTERRUPTED);
    }
}
