package dev.tether.a2a;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.agent.AgentService;
import dev.tether.agent.IdempotentPrompts;
import dev.tether.agent.PromptRequest;
import dev.tether.agent.RecordedTurns;
import dev.tether.agent.RecordedTurns.RecordedTurn;
import dev.tether.agent.CreateSessionRequest;
import dev.tether.agent.SessionFactory;
import dev.tether.event.BusEvent;
import dev.tether.event.BusEvents;
import dev.tether.event.SessionBus;
import dev.tether.event.SessionBuses;
import dev.tether.session.Session;
import dev.tether.session.SessionIds;
import dev.tether.session.SessionResult;
import dev.tether.session.TerminalReason;
import dev.tether.session.Usage;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The A2A methods over the agent (spec §14.2): a task is one turn, started as a prompt whose
 * {@code Idempotency-Key} is the task id, so the session's journal records it with its user message and its result
 * and {@code tasks/get} reads it back, also after a restart. Tasks running in this process are tracked here, for
 * their live state, cancellation and resubscription. Methods block on the store: call them on worker threads.
 */
@ApplicationScoped
public class A2aTasks {

    /** How long {@code tasks/cancel} waits for the aborted turn to end before answering with the task as it is. */
    static final Duration CANCEL_WAIT = Duration.ofSeconds(30);

    private final IdempotentPrompts prompts;
    private final AgentService agent;
    private final RecordedTurns turns;
    private final SessionFactory sessions;
    private final SessionBuses buses;
    private final TaskViews views;
    private final TaskStream stream;
    private final ConcurrentMap<String, Running> running = new ConcurrentHashMap<>();

    public A2aTasks(IdempotentPrompts prompts, AgentService agent, RecordedTurns turns, SessionFactory sessions,
                    SessionBuses buses, ObjectMapper mapper) {
        this.prompts = prompts;
        this.agent = agent;
        this.turns = turns;
        this.sessions = sessions;
        this.buses = buses;
        this.views = new TaskViews(mapper);
        this.stream = new TaskStream(views, mapper);
    }

    /** A task whose turn this process runs. */
    private static final class Running {
        final TaskIds.TaskId id;
        final A2aMessage userMessage;
        final CompletableFuture<SessionResult> done = new CompletableFuture<>();
        volatile boolean started;

        Running(TaskIds.TaskId id, A2aMessage userMessage) {
            this.id = id;
            this.userMessage = userMessage;
        }

        A2aTask.State state() {
            return started ? A2aTask.State.WORKING : A2aTask.State.SUBMITTED;
        }
    }

    /**
     * {@code message/send}: starts the task; with {@code configuration.blocking: false} answers at once with the task
     * as submitted, otherwise once its turn ended.
     */
    public CompletableFuture<A2aTask> send(Params.MessageSend params) {
        Integer historyLength = historyLength(params.configuration() == null ? null
                : params.configuration().historyLength());
        Running task = start(params, bus -> {
        });
        boolean blocking = params.configuration() == null || !Boolean.FALSE.equals(params.configuration().blocking());
        if (!blocking) {
            return CompletableFuture.completedFuture(views.running(task.id, List.of(task.userMessage), task.state(),
                    historyLength));
        }
        return task.done.handleAsync((result, failure) -> {
            if (failure != null) {
                throw Errors.of(failure);
            }
            return get(task.id.value(), historyLength);
        }, Infrastructure.getDefaultWorkerPool());
    }

    /**
     * {@code message/stream}: the task as submitted, a {@code working} status update when its turn begins, its
     * tool calls, then its answer and final status.
     */
    public Multi<StreamEvent> stream(Params.MessageSend params) {
        CompletableFuture<Multi<BusEvent>> subscription = new CompletableFuture<>();
        Running task = start(params, bus -> subscription.complete(BusEvents.untilTerminal(bus.subscribe())));
        task.done.whenComplete((r, failure) -> {
            if (failure != null) {
                subscription.completeExceptionally(Errors.of(failure));
            }
        });
        A2aTask submitted = views.running(task.id, List.of(task.userMessage), A2aTask.State.SUBMITTED, null);
        Multi<StreamEvent> live = Multi.createFrom().completionStage(subscription)
                .onItem().transformToMultiAndConcatenate(events -> Multi.createBy().concatenating().streams(
                        Multi.createFrom().item(TaskStream.status(task.id, A2aTask.State.WORKING, null)),
                        events.onItem().transformToIterable(e -> stream.map(task.id, e))));
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(submitted), live);
    }

    /** {@code tasks/get}: the task, from this process while its turn runs, else from the session's journal. */
    public A2aTask get(String taskId, Integer historyLength) {
        TaskIds.TaskId id = TaskIds.require(taskId);
        Integer limit = historyLength(historyLength);
        // the registry before the journal: a task gone from it has its result recorded
        Running task = running.get(id.value());
        Optional<RecordedTurn> recorded = turns.find(id.sessionId(), id.value());
        if (recorded.isPresent() && (task == null || recorded.get().turn().hasEnded())) {
            return views.recorded(id, recorded.get(), limit);
        }
        if (task != null) {
            List<A2aMessage> history = recorded.map(r -> views.history(id, r.messages(), null))
                    .orElse(List.of(task.userMessage));
            return views.running(id, history, task.state(), limit);
        }
        throw A2aException.taskNotFound(taskId);
    }

    /**
     * {@code tasks/cancel}: aborts the task's turn and answers once the turn ended: {@code canceled} when it ended as
     * aborted, -32002 when it ended otherwise first or had ended before; after {@link #CANCEL_WAIT} the task as it is.
     */
    public CompletableFuture<A2aTask> cancel(String taskId) {
        TaskIds.TaskId id = TaskIds.require(taskId);
        Running task = running.get(id.value());
        if (task == null) {
            A2aTask ended = get(taskId, 0);
            throw new A2aException(A2aException.TASK_NOT_CANCELABLE, "Task " + taskId + " has ended ("
                    + ended.status().state().name().toLowerCase(Locale.ROOT) + ")");
        }
        agent.abort(id.sessionId());
        return task.done.orTimeout(CANCEL_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .handleAsync((result, failure) -> {
                    if (failure instanceof TimeoutException) {
                        return get(taskId, null);
                    }
                    if (failure != null) {
                        throw Errors.of(failure);
                    }
                    if (result.terminalReason() != TerminalReason.ABORTED) {
                        throw new A2aException(A2aException.TASK_NOT_CANCELABLE, "Task " + taskId
                                + " ended before it could be canceled (" + TaskViews.state(result.terminalReason())
                                .name().toLowerCase(Locale.ROOT) + ")");
                    }
                    return get(taskId, null);
                }, Infrastructure.getDefaultWorkerPool());
    }

    /**
     * {@code tasks/resubscribe}: the task as it is, then, while its turn runs, its events from the turn's start
     * (replayed from the journal, then live) up to the final status update. An ended task is sent alone.
     */
    public Multi<StreamEvent> resubscribe(String taskId) {
        TaskIds.TaskId id = TaskIds.require(taskId);
        Running task = running.get(id.value());
        A2aTask now = get(taskId, null);
        if (task == null || now.status().state().isFinal()) {
            return Multi.createFrom().item(now);
        }
        SessionBus bus = buses.bus(id.sessionId());
        Optional<RecordedTurn> recorded = turns.find(id.sessionId(), id.value());
        Multi<BusEvent> events = recorded.isPresent() ? bus.subscribe(recorded.get().turn().startSeq())
                : bus.subscribe();
        if (task.done.isDone()) {
            // ended between the look-up and the subscription: its terminal event may be gone from a live follow
            events.subscribe().with(e -> { }).cancel();
            return Multi.createFrom().item(get(taskId, null));
        }
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(now),
                BusEvents.untilTerminal(events).onItem().transformToIterable(e -> stream.map(id, e)));
    }

    /** Starts the turn of a message: the task is registered before the turn can emit anything. */
    private Running start(Params.MessageSend params, Consumer<SessionBus> beforeTurn) {
        A2aMessage message = params.message();
        if (message == null) {
            throw A2aException.invalidParams("params.message is required");
        }
        if (message.taskId() != null) {
            refuseContinuation(message);
        }
        PromptRequest prompt = Prompts.of(message);
        String sessionId = session(message.contextId());
        TaskIds.TaskId id = TaskIds.newTask(sessionId);
        A2aMessage user = new A2aMessage(A2aMessage.USER, message.parts(), message.messageId(), id.value(), sessionId,
                message.metadata());
        Running task = new Running(id, user);
        running.put(id.value(), task);
        CompletableFuture<SessionResult> result;
        try {
            result = prompts.start(sessionId, prompt, id.value(), bus -> {
                task.started = true;
                beforeTurn.accept(bus);
            }, duplicate -> {
            });
        } catch (RuntimeException e) {
            running.remove(id.value(), task);
            throw Errors.of(e);
        }
        result.whenComplete((r, failure) -> {
            running.remove(id.value(), task);
            if (failure != null) {
                task.done.completeExceptionally(failure);
            } else {
                task.done.complete(r);
            }
        });
        return task;
    }

    /** Every message starts a task of its own; one naming a task (to continue it) is refused. */
    private void refuseContinuation(A2aMessage message) {
        A2aTask task = get(message.taskId(), 0);
        if (message.contextId() != null && !message.contextId().equals(task.contextId())) {
            throw A2aException.invalidParams("message.contextId " + message.contextId() + " is not the context of task "
                    + message.taskId());
        }
        throw new A2aException(A2aException.UNSUPPORTED_OPERATION, "Task " + message.taskId() + " cannot take "
                + "further messages: every task is one turn. Send the message without taskId, with contextId "
                + task.contextId() + ", to continue the conversation");
    }

    /** The session of a context id: a new one without an id, the stored one, or a new one with that id. */
    private String session(String contextId) {
        if (contextId != null && !SessionIds.isValid(contextId)) {
            throw A2aException.invalidParams("contextId must be 1-" + SessionIds.MAX_LENGTH
                    + " characters of [A-Za-z0-9_-]");
        }
        if (contextId != null && turns.exists(contextId)) {
            return contextId;
        }
        Session fresh = sessions.newSession(CreateSessionRequest.EMPTY, Instant.now());
        Session session = contextId == null ? fresh : new Session(contextId, fresh.title(), fresh.createdAt(),
                fresh.updatedAt(), fresh.metadata(), fresh.agent(), List.of(), List.of(), Usage.ZERO);
        turns.createIfAbsent(session);
        return session.id();
    }

    private static Integer historyLength(Integer historyLength) {
        if (historyLength != null && historyLength < 0) {
            throw A2aException.invalidParams("historyLength must not be negative");
        }
        return historyLength;
    }
}
