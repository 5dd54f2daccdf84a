package dev.tether.testing;

import dev.tether.context.TokenEstimator;
import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.SessionMetadata;
import dev.tether.session.store.SessionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Seeds stored sessions for end-to-end tests: history, title and settings written through the store. */
public final class SessionFixtures {

    private SessionFixtures() {
    }

    /**
     * Replaces the stored session's history and title and lets {@code metadata} adjust its settings (budget, RLM),
     * exactly as an import or history edit would.
     */
    public static Session seed(SessionStore store, String id, String title, List<Message> messages,
                               UnaryOperator<SessionMetadata> metadata) {
        Session s = store.load(id);
        Session seeded = new Session(s.id(), title, s.createdAt(), s.updatedAt(), metadata.apply(s.metadata()),
                s.agent(), messages, s.toolUses(), s.usage());
        store.save(seeded);
        return seeded;
    }

    /**
     * Plain text of about {@code tokens} tokens (§6.1 estimate), distinct for each {@code seed}: words such as
     * {@code s7w123} separated by single spaces, one line per 12 words.
     */
    public static String distinctText(int seed, long tokens) {
        StringBuilder sb = new StringBuilder();
        int w = 0;
        while (true) {
            for (int i = 0; i < 200; i++, w++) {
                sb.append('s').append(seed).append('w').append(w).append(w % 12 == 11 ? '\n' : ' ');
            }
            if (TokenEstimator.estimate(sb.toString()) >= tokens) {
                return sb.toString().trim();
            }
        }
    }

    /** {@code n} alternating user/assistant messages of about {@code tokens} tokens each, starting with a user. */
    public static List<Message> history(int n, long tokens) {
        List<Message> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String text = (i % 2 == 0 ? "Request " : "Answer ") + i + ": " + distinctText(i, tokens);
            out.add(i % 2 == 0 ? Message.userText(text) : Message.assistantText(text));
        }
        return out;
    }

    /** The active request of {@link #overBudgetHistory()}. */
    public static final String ACTIVE = "Please refactor the date parser module to use java.time";

    /**
     * A history of ≈130,000 tokens (over the 105,984 budget of openai/gpt-4o): 26 distinct plain texts of ≈5,000
     * tokens, then the active request and three short messages (a non-substantive {@code ok} among them), so that
     * after a prompt {@code continue} the active request is 5 messages from the end.
     */
    public static List<Message> overBudgetHistory() {
        List<Message> history = new ArrayList<>(history(26, 5_000));
        history.add(Message.userText(ACTIVE));
        history.add(Message.assistantText("Started: the parser is split into a lexer and a formatter."));
        history.add(Message.userText("ok"));
        history.add(Message.assistantText("Tests are running."));
        return history;
    }
}
