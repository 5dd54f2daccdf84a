package dev.tether.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TitlesTest {

    @Test
    void candidatesExcludeInjectedBoilerplate() {
        assertTrue(Titles.isCandidate("  Fix the bug "));
        assertFalse(Titles.isCandidate("   "));
        assertFalse(Titles.isCandidate(null));
        assertFalse(Titles.isCandidate(" <environment_context>\n<cwd>/x</cwd>"));
        assertFalse(Titles.isCandidate("# AGENTS.md instructions for /repo"));
    }

    @Test
    void setTitleNormalisesAndRejectsNonCandidates() {
        assertEquals("a b c", Titles.settable(" a\t\nb \u0007 c "));
        assertNull(Titles.settable("  \n "));
        assertNull(Titles.settable("<environment_context>x"));
    }

    @Test
    void lengthRuleCutsAbove50Characters() {
        String fifty = "x".repeat(50);
        assertEquals(fifty, Titles.lengthRule(fifty));
        assertEquals("y".repeat(47) + "...", Titles.lengthRule("y".repeat(51)));
    }

    @Test
    void aiReplyCleanup() {
        assertEquals(Optional.of("Fix Date Parser Bug"), Titles.cleanAiReply("\"Fix Date Parser Bug.\"\nmore text"));
        assertEquals(Optional.of("Ship it"), Titles.cleanAiReply("\n  `Ship it`..  \n"));
        assertEquals(Optional.empty(), Titles.cleanAiReply(" \"\" \n ... "));
        // the first non-blank line is the title even when it trims to nothing: then the heuristic applies
        assertEquals(Optional.empty(), Titles.cleanAiReply("\n  \"...\"  \nA title would go here."));
    }

    @Test
    void heuristicSkipsEnvironmentContextAndCuts() {
        String request = "Please refactor the invoice exporter so it streams rows to disk";
        List<Message> messages = List.of(Message.userText("<environment_context><cwd>/w</cwd></environment_context>"),
                Message.userText(request));
        assertEquals(Optional.of(request.substring(0, 47) + "..."), Titles.heuristic(messages));
        assertEquals(Optional.empty(), Titles.heuristic(List.of(Message.assistantText("hello"))));
    }

    @Test
    void labelIsTheTitleElseTheIdPrefixElseNew() {
        assertEquals("Fix it", Titles.label("Fix it", "3b9e6a52-0d4c-4f8e-9a71-c2d5e8f01b47"));
        assertEquals("3b9e6a52", Titles.label(null, "3b9e6a52-0d4c-4f8e-9a71-c2d5e8f01b47"));
        assertEquals("a_B-9", Titles.label("", "a_B-9"));
        assertEquals("new", Titles.label(null, null));
        assertEquals("new", Titles.label(null, ""));
    }

    @Test
    void aiInputIsCutTo800Characters() {
        assertEquals("z".repeat(800) + "...", Titles.aiInput("z".repeat(900)));
        assertEquals("short", Titles.aiInput("short"));
    }
}
