package dev.tether.session;

import java.util.List;
import java.util.Optional;

/** Title rules of spec §8: candidates, normalisation, the length rule, the heuristic title and AI-reply cleanup. */
public final class Titles {

    public static final int MAX_CHARS = 50;
    public static final int CUT_CHARS = 47;
    public static final int AI_INPUT_CHARS = 800;
    public static final int LABEL_ID_CHARS = 8;
    /** Longest title a client may set, in characters (code points); listings repeat titles, so they stay bounded. */
    public static final int MAX_SET_CHARS = 1024;

    private Titles() {
    }

    /** A user text is a candidate when, trimmed, it is non-empty and is not injected boilerplate (§8.1). */
    public static boolean isCandidate(String text) {
        if (text == null) {
            return false;
        }
        String t = text.trim();
        return !t.isEmpty() && !t.startsWith("<environment_context>") && !t.startsWith("# AGENTS.md instructions for ");
    }

    /** Splits on whitespace and control characters and joins with single spaces. */
    public static String normalise(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length());
        boolean gap = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isISOControl(cp) || Character.isSpaceChar(cp)) {
                gap = sb.length() > 0;
                continue;
            }
            if (gap) {
                sb.append(' ');
                gap = false;
            }
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    /** Longer than 50 characters → the first 47 characters + {@code ...}. Counts code points. */
    public static String lengthRule(String title) {
        if (title.codePointCount(0, title.length()) <= MAX_CHARS) {
            return title;
        }
        return title.substring(0, title.offsetByCodePoints(0, CUT_CHARS)) + "...";
    }

    /**
     * {@code set_title}: normalise; a non-candidate becomes {@code null}; longer than {@value #MAX_SET_CHARS}
     * characters is cut to that (titles from imported thread names; a client's title is checked with
     * {@link #requireWithinLimit} first).
     */
    public static String settable(String title) {
        if (title == null) {
            return null;
        }
        String n = normalise(title);
        if (!isCandidate(n)) {
            return null;
        }
        return n.codePointCount(0, n.length()) <= MAX_SET_CHARS ? n : n.substring(0, n.offsetByCodePoints(0, MAX_SET_CHARS));
    }

    /** Returns {@code title}, or rejects one longer than {@value #MAX_SET_CHARS} characters with a 400. */
    public static String requireWithinLimit(String title) {
        if (title != null && title.codePointCount(0, title.length()) > MAX_SET_CHARS) {
            throw new InvalidRequestException("title must be at most " + MAX_SET_CHARS + " characters");
        }
        return title;
    }

    /** Display label (§8.3): the title, else the first 8 characters of the id, else {@code new}. */
    public static String label(String title, String id) {
        if (title != null && !title.isEmpty()) {
            return title;
        }
        if (id != null && !id.isEmpty()) {
            return id.substring(0, id.offsetByCodePoints(0, Math.min(LABEL_ID_CHARS, id.codePointCount(0, id.length()))));
        }
        return "new";
    }

    /** The text of the first user message whose text is a title candidate. */
    public static Optional<String> titleSource(List<Message> messages) {
        for (Message m : messages) {
            if (m.role() != Role.USER) {
                continue;
            }
            for (ContentPart part : m.content()) {
                if (part instanceof ContentPart.Text t && isCandidate(t.text())) {
                    return Optional.of(t.text());
                }
            }
        }
        return Optional.empty();
    }

    /** The heuristic title (§8.2), or empty when the transcript has no title source. */
    public static Optional<String> heuristic(List<Message> messages) {
        return titleSource(messages).map(Titles::normalise).filter(s -> !s.isEmpty()).map(Titles::lengthRule);
    }

    /** The title source cut to 800 characters (+ {@code ...} when cut), as sent to the AI title call. */
    public static String aiInput(String source) {
        if (source.codePointCount(0, source.length()) <= AI_INPUT_CHARS) {
            return source;
        }
        return source.substring(0, source.offsetByCodePoints(0, AI_INPUT_CHARS)) + "...";
    }

    /**
     * Cleans an AI title reply: first non-empty line; trims whitespace, quotes, backticks and periods from both ends;
     * applies the length rule. Empty when nothing is left.
     */
    public static Optional<String> cleanAiReply(String reply) {
        if (reply == null) {
            return Optional.empty();
        }
        for (String line : reply.split("\\R")) {
            // the first non-blank line is the title; one that trims to nothing makes the reply empty (§8.2)
            if (!line.isBlank()) {
                String n = normalise(stripEnds(line));
                return n.isEmpty() ? Optional.empty() : Optional.of(lengthRule(n));
            }
        }
        return Optional.empty();
    }

    private static String stripEnds(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isTrimmable(s.charAt(start))) {
            start++;
        }
        while (end > start && isTrimmable(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isTrimmable(char c) {
        return Character.isWhitespace(c) || c == '"' || c == '\'' || c == '`' || c == '.';
    }
}
