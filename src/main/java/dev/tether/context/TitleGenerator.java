package dev.tether.context;

import dev.tether.config.TetherConfig;
import dev.tether.event.EventEmitter;
import dev.tether.event.TokenSource;
import dev.tether.provider.ModelResolver;
import dev.tether.provider.ResolvedModel;
import dev.tether.session.Cancellation;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.Role;
import dev.tether.session.Titles;
import dev.tether.session.Usage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Session titles (spec §8.2): one AI call to the session's model (no tools, temperature 0.2, top_p 0.9,
 * {@code max_tokens} 24, a timeout, TokenSource {@code root}), its reply cleaned; the heuristic title when the call
 * fails, times out or yields nothing, and when the turn is cancelled meanwhile.
 */
@ApplicationScoped
public class TitleGenerator {

    static final String INSTRUCTION = "You name developer chat sessions. Reply with a title of at most six words that "
            + "captures the request. Output only the title: no quotes, no trailing punctuation, no preamble.";
    static final double TEMPERATURE = 0.2;
    static final double TOP_P = 0.9;
    static final int MAX_TOKENS = 24;

    private static final Logger LOG = Logger.getLogger(TitleGenerator.class);

    /**
     * @param transcript the transcript with the turn's user message appended
     * @param model      the session model's selector
     */
    public record TitleRequest(List<Message> transcript, String model, EventEmitter emitter,
                               Cancellation cancellation, UsageSink usageSink) {
    }

    /** How a title was made. */
    public enum Source {
        /** The cleaned AI reply. */
        AI,
        /** The heuristic fallback. */
        HEURISTIC,
        /** No title source: the title stays null. */
        NONE
    }

    /**
     * @param title     the title to store; {@code null} when the transcript has no title source
     * @param usage     the title call's usage ({@link Usage#ZERO} when no call succeeded), already given to the sink
     * @param cancelled whether the turn was cancelled during the call (the heuristic title was used)
     */
    public record TitleResult(String title, Source source, Usage usage, boolean cancelled) {
    }

    private final ModelResolver resolver;
    private final AuxiliaryCaller caller;
    private final Duration timeout;

    @Inject
    public TitleGenerator(ModelResolver resolver, AuxiliaryCaller caller, TetherConfig config) {
        this(resolver, caller, config.agent().titleTimeout());
    }

    public TitleGenerator(ModelResolver resolver, AuxiliaryCaller caller, Duration timeout) {
        this.resolver = resolver;
        this.caller = caller;
        this.timeout = timeout;
    }

    /** Generates the title; never throws for model errors, timeouts or cancellation. */
    public TitleResult generate(TitleRequest req) {
        Optional<String> source = Titles.titleSource(req.transcript());
        if (source.isEmpty()) {
            return new TitleResult(null, Source.NONE, Usage.ZERO, false);
        }
        Usage[] usage = {Usage.ZERO};
        UsageSink sink = u -> {
            usage[0] = usage[0].plus(u);
            if (req.usageSink() != null) {
                req.usageSink().add(u);
            }
        };
        try {
            ResolvedModel model = resolver.resolve(req.model());
            List<Message> messages = List.of(Message.of(Role.SYSTEM, new ContentPart.Text(INSTRUCTION)),
                    Message.userText(Titles.aiInput(source.get())));
            String reply = caller.call(model, new AuxiliaryCaller.Call(TokenSource.ROOT, messages, List.of(),
                            TEMPERATURE, TOP_P, MAX_TOKENS, timeout),
                    req.emitter() == null ? EventEmitter.NONE : req.emitter(), req.cancellation(), sink).text();
            Optional<String> cleaned = Titles.cleanAiReply(reply);
            if (cleaned.isPresent()) {
                return new TitleResult(cleaned.get(), Source.AI, usage[0], false);
            }
        } catch (Cancellation.CancelledException e) {
            return heuristic(req, usage[0], true);
        } catch (RuntimeException e) {
            // auxiliary calls do not retry (§3.7): the heuristic title is the fallback
            LOG.debugf("title call failed, using the heuristic title: %s", e.getMessage());
        }
        return heuristic(req, usage[0], false);
    }

    private static TitleResult heuristic(TitleRequest req, Usage usage, boolean cancelled) {
        String title = Titles.heuristic(req.transcript()).orElse(null);
        return new TitleResult(title, title == null ? Source.NONE : Source.HEURISTIC, usage, cancelled);
    }
}
