package dev.tether.agent;

import dev.tether.context.CompactionPreview;
import dev.tether.context.CompactionReason;
import dev.tether.context.ContextEstimate;
import dev.tether.context.DeriveRequest;
import dev.tether.context.DerivedContext;
import dev.tether.context.UsageSink;
import dev.tether.provider.ModelResolver;
import dev.tether.provider.ResolvedModel;
import dev.tether.session.Cancellation;
import dev.tether.session.Session;
import dev.tether.session.SessionIds;
import dev.tether.session.store.SessionStore;
import jakarta.inject.Singleton;

/**
 * Context operations outside a turn (spec §6.3): the estimate of a session's next request, a compaction preview, and
 * a manual compaction as a writer of the session.
 */
@Singleton
public record ContextOperations(
        SessionStore store, ModelResolver models, TurnServices services, SessionWriting writing) {

    /** {@code GET /context}: token estimate and budget of the next request. */
    public ContextEstimate estimate(String sessionId) {
        return services.context().estimate(readOnlyDerivation(sessionId));
    }

    /** {@code POST /compact?dry_run=true}: what a manual compaction would do; no events, no cache, no model call. */
    public CompactionPreview previewCompaction(String sessionId) {
        return services.context().previewCompaction(readOnlyDerivation(sessionId));
    }

    /**
     * {@code POST /compact}: runs a manual compaction now, as a writer of the session (409 while a turn runs), emitting
     * its events durably and adding the summary call's usage to the session.
     */
    public DerivedContext compactNow(String sessionId) {
        return writing.run(sessionId, (SessionWriting.Work<DerivedContext>) (writer, bus, cancellation) -> {
            Session session = writer.current();
            TurnEmitter emitter = services.emitter(bus);
            DerivedContext derived = services.context().compactNow(request(session, emitter, cancellation));
            Session now = writer.current();
            writer.updateMeta(now.title(), now.metadata(), now.usage().plus(emitter.usage()), null);
            if (PlannedCall.committed(derived)) {
                services.contextChanges().apply(writer, emitter, ContextChange.COMPACTION);
            }
            return derived;
        });
    }

    /** What the next request of a session would contain, without sending or changing anything. */
    private DeriveRequest readOnlyDerivation(String sessionId) {
        SessionIds.require(sessionId);
        Session session = store.load(sessionId);
        return DeriveRequest.readOnly(session.id(), session.messages(), systemPrompt(session),
                services.toolDefinitions(), model(session).selector(), session.metadata());
    }

    private DeriveRequest request(Session session, TurnEmitter emitter, Cancellation cancellation) {
        return new DeriveRequest(session.id(), session.messages(), systemPrompt(session), services.toolDefinitions(),
                model(session).selector(), session.metadata(), false, CompactionReason.MANUAL, emitter, cancellation,
                UsageSink.NONE);
    }

    private String systemPrompt(Session session) {
        return services.prompts().forAgent(session.agent(), session.metadata().directory());
    }

    private ResolvedModel model(Session session) {
        return models.resolve(session.metadata().model());
    }
}
