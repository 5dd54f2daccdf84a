package dev.tether.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.event.SessionEvent;
import dev.tether.event.TokenSource;
import dev.tether.provider.CompletionRequest;
import dev.tether.provider.CompletionResponse;
import dev.tether.session.Cancellation;
import dev.tether.session.Message;
import dev.tether.session.Role;
import dev.tether.session.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TitleGeneratorTest {

    static final String MODEL = "openai/gpt-4o";
    static final String REQUEST_60 = "Investigate why the nightly export job skips old invoices ok";

    private final ContextWindows windows = new ContextWindows(Map.of(), 8192);
    private final AuxiliaryCaller caller = new AuxiliaryCaller(windows);
    private Function<CompletionRequest, CompletionResponse> script;
    private final ScriptedProvider openai = new ScriptedProvider("openai", r -> script.apply(r));
    private final TitleGenerator titles = new TitleGenerator(new ScriptedResolver(openai), caller, Duration.ofSeconds(10));
    private final RecordingEmitter events = new RecordingEmitter();
    private final List<Usage> usages = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        caller.close();
    }

    private TitleGenerator.TitleResult generate(List<Message> transcript) {
        return titles.generate(new TitleGenerator.TitleRequest(transcript, MODEL, events, new Cancellation(), usages::add));
    }

    @Test
    void scenario36AiReplyIsCleaned() {
        script = r -> ScriptedProvider.text("\"Fix Date Parser Bug.\"\nmore text");
        TitleGenerator.TitleResult r = generate(List.of(Message.userText("Why does DateParserTest fail around New Year?")));
        assertEquals("Fix Date Parser Bug", r.title());
        assertEquals(TitleGenerator.Source.AI, r.source());
        assertEquals(Usage.of(100, 10, null, null), r.usage());
        assertEquals(List.of(Usage.of(100, 10, null, null)), usages);
        assertEquals(List.of("token_estimate", "token_usage"), events.types());
        SessionEvent.TokenEstimate estimate = events.of(SessionEvent.TokenEstimate.class).get(0);
        assertEquals(TokenSource.ROOT, estimate.source());
        assertEquals(MODEL, estimate.model());
        assertEquals(105_984, estimate.budget());
        assertEquals(TokenSource.ROOT, events.of(SessionEvent.TokenUsage.class).get(0).source());

        CompletionRequest req = openai.requests.get(0);
        assertEquals("gpt-4o", req.model());
        assertTrue(req.tools().isEmpty());
        assertEquals(0.2, req.temperature());
        assertEquals(0.9, req.topP());
        assertEquals(24, req.maxTokens());
        assertEquals(Role.SYSTEM, req.messages().get(0).role());
        assertEquals(TitleGenerator.INSTRUCTION, req.messages().get(0).text());
        assertEquals("Why does DateParserTest fail around New Year?", req.messages().get(1).text());
    }

    @Test
    void scenario36FailedCallUsesTheHeuristicOnTheFirstCandidate() {
        script = r -> {
            throw ScriptedProvider.unavailable();
        };
        assertEquals(60, REQUEST_60.length());
        List<Message> t = List.of(Message.userText("<environment_context>\n  <cwd>/src/ws</cwd>\n</environment_context>"),
                Message.userText(REQUEST_60));
        TitleGenerator.TitleResult r = generate(t);
        assertEquals(REQUEST_60.substring(0, 47) + "...", r.title());
        assertEquals(TitleGenerator.Source.HEURISTIC, r.source());
        assertEquals(Usage.ZERO, r.usage());
        assertEquals(List.of("token_estimate"), events.types(), "a failed call emits no token_usage");
        assertEquals(REQUEST_60, openai.requests.get(0).messages().get(1).text(), "the title source skips boilerplate");
    }

    @Test
    void titleSourceIsCutTo800Characters() {
        script = r -> ScriptedProvider.text("Long Paste Review");
        String paste = "p".repeat(1000);
        TitleGenerator.TitleResult r = generate(List.of(Message.userText(paste)));
        assertEquals("Long Paste Review", r.title());
        assertEquals("p".repeat(800) + "...", openai.requests.get(0).messages().get(1).text());
    }

    @Test
    void emptyCleanedReplyFallsBackButKeepsTheUsage() {
        script = r -> ScriptedProvider.text("  \"...\" \n\n");
        TitleGenerator.TitleResult r = generate(List.of(Message.userText("  Refactor   the\tlogin flow  ")));
        assertEquals("Refactor the login flow", r.title());
        assertEquals(TitleGenerator.Source.HEURISTIC, r.source());
        assertEquals(Usage.of(100, 10, null, null), r.usage());
    }

    @Test
    void longAiReplyFollowsTheLengthRule() {
        script = r -> ScriptedProvider.text("`A very long title that the model produced despite the instruction given`");
        TitleGenerator.TitleResult r = generate(List.of(Message.userText("hello")));
        String reply = "A very long title that the model produced despite the instruction given";
        assertEquals(reply.substring(0, 47) + "...", r.title());
    }

    @Test
    void timeoutFallsBackToTheHeuristic() {
        script = r -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ScriptedProvider.text("Too Late");
        };
        TitleGenerator quick = new TitleGenerator(new ScriptedResolver(openai), caller, Duration.ofMillis(200));
        TitleGenerator.TitleResult r = quick.generate(new TitleGenerator.TitleRequest(
                List.of(Message.userText("Add retry to the uploader")), MODEL, events, new Cancellation(), usages::add));
        assertEquals("Add retry to the uploader", r.title());
        assertEquals(TitleGenerator.Source.HEURISTIC, r.source());
        assertTrue(usages.isEmpty());
    }

    @Test
    void cancellationAppliesTheHeuristicTitle() {
        Cancellation cancellation = new Cancellation();
        script = r -> {
            cancellation.cancel();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ScriptedProvider.text("Too Late");
        };
        TitleGenerator.TitleResult r = titles.generate(new TitleGenerator.TitleRequest(
                List.of(Message.userText("Add retry to the uploader")), MODEL, events, cancellation, usages::add));
        assertEquals("Add retry to the uploader", r.title());
        assertTrue(r.cancelled());
    }

    @Test
    void noTitleSourceMeansNoCallAndNoTitle() {
        script = r -> ScriptedProvider.text("Should Not Be Called");
        TitleGenerator.TitleResult r = generate(List.of(
                Message.userText("# AGENTS.md instructions for /src/ws\nbe nice"), Message.assistantText("hi")));
        assertNull(r.title());
        assertEquals(TitleGenerator.Source.NONE, r.source());
        assertTrue(openai.requests.isEmpty());
        assertTrue(events.events.isEmpty());
    }

    @Test
    void unresolvableModelFallsBackToTheHeuristic() {
        script = r -> ScriptedProvider.text("x");
        TitleGenerator.TitleResult r = titles.generate(new TitleGenerator.TitleRequest(
                List.of(Message.userText("Fix CI")), "nosuch/model", events, new Cancellation(), usages::add));
        assertEquals("Fix CI", r.title());
        assertTrue(openai.requests.isEmpty());
    }
}
