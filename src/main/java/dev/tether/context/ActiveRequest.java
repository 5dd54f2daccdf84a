package dev.tether.context;

import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.Role;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the active user request (spec §6.4): the latest substantive user message; else the latest user message with
 * text; else none. It and every later message are always kept verbatim.
 */
public final class ActiveRequest {

    private static final Set<String> NOT_SUBSTANTIVE = Set.of("continue", "status", "resume", "go", "go on",
            "keep going", "hey", "ok", "okay", "yes", "y");
    private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[\\p{Punct}\\p{IsPunctuation}]+$");
    private static final int COMPARED_CHARS = 80;

    private ActiveRequest() {
    }

    /** Index of the active user request in {@code messages}, or {@code -1} when there is none. */
    public static int indexOf(List<Message> messages) {
        int fallback = -1;
        for (int i = messages.size() - 1; i >= 0; i--) {
            Message m = messages.get(i);
            if (m.role() != Role.USER) {
                continue;
            }
            boolean hasText = false;
            for (ContentPart part : m.content()) {
                if (part instanceof ContentPart.Text t && !t.text().isBlank()) {
                    hasText = true;
                    if (isSubstantive(t.text())) {
                        return i;
                    }
                }
            }
            if (hasText && fallback < 0) {
                fallback = i;
            }
        }
        return fallback;
    }

    /** The text of the active user request (its text parts joined), or empty when there is none. */
    public static Optional<String> text(List<Message> messages) {
        int i = indexOf(messages);
        return i < 0 ? Optional.empty() : Optional.of(messages.get(i).text());
    }

    /** Whether a user text is substantive: not blank and not a bare nudge such as {@code continue} or {@code ok.}. */
    public static boolean isSubstantive(String text) {
        if (text == null) {
            return false;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        t = TRAILING_PUNCTUATION.matcher(t).replaceAll("").trim();
        if (t.isEmpty()) {
            return false;
        }
        // only short texts can be one of the nudges; longer ones are compared on their first 80 characters
        if (t.length() > COMPARED_CHARS) {
            t = t.substring(0, COMPARED_CHARS);
        }
        return !NOT_SUBSTANTIVE.contains(t);
    }
}
