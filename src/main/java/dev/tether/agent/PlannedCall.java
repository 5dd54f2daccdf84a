package dev.tether.agent;

import dev.tether.context.CompactionReason;
import dev.tether.context.DeriveRequest;
import dev.tether.context.DerivedContext;
import dev.tether.context.TokenEstimator;
import dev.tether.context.UsageSink;
import dev.tether.event.TokenSource;
import dev.tether.provider.CompletionRequest;
import dev.tether.provider.ProviderException;
import dev.tether.provider.ToolDefinition;
import dev.tether.session.Cancellation;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.Role;
import dev.tether.session.Session;
import dev.tether.session.store.SessionWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The loop's provider calls of one turn, each with the prompt-too-long plan of §3.7 around it: derive the context
 * (§6.3), call; on a context-length error retry with the halved budget (kept for the rest of the turn), then with
 * forced compactions keeping the last 6, 3 and 1 messages; an attempt identical to the previous one is skipped.
 */
final class PlannedCall {

    static final int[] PLAN_KEEP_LAST = {6, 3, 1};

    private final TurnServices services;
    private final SessionWriter writer;
    private final TurnRunner.PreparedPrompt prompt;
    private final TurnEmitter emitter;
    private final Cancellation cancellation;
    private boolean halvedBudget;
    private long lastRequestTokens;

    PlannedCall(TurnServices services, SessionWriter writer, TurnRunner.PreparedPrompt prompt, TurnEmitter emitter,
                Cancellation cancellation) {
        this.services = services;
        this.writer = writer;
        this.prompt = prompt;
        this.emitter = emitter;
        this.cancellation = cancellation;
    }

    /** Whether a derivation committed a compaction: a summary now stands for a prefix (cached, §6.3). */
    static boolean committed(DerivedContext derived) {
        return derived.compaction() != null && derived.compaction().splitIndex() >= 0;
    }

    /** The estimated tokens of the last request derived (RLM routing compares outputs against it, §7.2). */
    long lastRequestTokens() {
        return lastRequestTokens;
    }

    /** One provider call of the loop on the session as it is now. */
    ProviderCaller.Result call(List<ToolDefinition> toolDefinitions) {
        int planStep = 0;
        DerivedContext previous = null;
        while (true) {
            Session session = writer.current();
            String system = services.prompts().forAgent(session.agent(), session.metadata().directory());
            DeriveRequest req = new DeriveRequest(session.id(), session.messages(), system, toolDefinitions,
                    prompt.model().selector(), session.metadata(), halvedBudget,
                    planStep == 0 ? CompactionReason.CONTEXT_BUDGET : CompactionReason.PROMPT_TOO_LONG, emitter,
                    cancellation, UsageSink.NONE);
            DerivedContext derived = planStep >= 2
                    ? services.context().forceCompaction(req, PLAN_KEEP_LAST[planStep - 2])
                    : services.context().derive(req);
            if (committed(derived)) {
                services.contextChanges().apply(writer, emitter, ContextChange.COMPACTION);
            }
            lastRequestTokens = derived.requestTokens();
            // identical = same messages under the same budget: the halved-budget attempt is always sent (§13.16)
            if (previous != null && previous.messages().equals(derived.messages())
                    && previous.budget() == derived.budget()) {
                planStep = nextPlanStep(planStep);
                continue;
            }
            previous = derived;
            List<Message> messages = new ArrayList<>(derived.messages().size() + 1);
            messages.add(Message.of(Role.SYSTEM, new ContentPart.Text(system)));
            messages.addAll(derived.messages());
            CompletionRequest request = new CompletionRequest(prompt.model().modelId(), messages, toolDefinitions,
                    services.config().agent().temperature(), null, services.config().agent().maxTokens(), List.of());
            try {
                return services.caller().call(new ProviderCaller.Call(prompt.model(), request, TokenSource.ROOT,
                        derived.requestTokens(), derived.budget(), prompt.idleTimeout(), emitter, cancellation,
                        TokenEstimator::estimate));
            } catch (ProviderException e) {
                if (e.kind() != ProviderException.Kind.CONTEXT_LENGTH) {
                    throw e;
                }
                planStep = nextPlanStep(planStep);
            }
        }
    }

    private int nextPlanStep(int planStep) {
        int next = planStep + 1;
        if (next == 1) {
            halvedBudget = true;
        }
        if (next > 1 + PLAN_KEEP_LAST.length) {
            throw new ProviderException(ProviderException.Kind.FATAL, 0, "context_length_exceeded",
                    "context length exceeded after all reductions", null, null);
        }
        return next;
    }
}
