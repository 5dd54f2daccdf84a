package dev.tether.context;

import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.Role;
import dev.tether.tool.ToolOutputs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pairing repair of a derived context (spec §6.10); never applied to the transcript. A tool call without a result
 * gets a synthetic failing tool message right after its assistant message; a tool result whose call is not in the
 * context is removed (and its message when left empty).
 *
 * <p>A result counts for a call only when it follows the call's assistant message and precedes the next assistant
 * message, which is where every vendor expects it; a second result for the same id is removed as well.
 */
public final class PairingRepair {

    static final String NO_RESULT = "No result was recorded for this tool call.";

    private PairingRepair() {
    }

    public static List<Message> repair(List<Message> messages) {
        // pass 1: which calls have a valid result (between their assistant message and the next one)
        Set<String> answered = new HashSet<>();
        Map<String, String> open = new HashMap<>();
        for (Message m : messages) {
            if (m.role() == Role.ASSISTANT) {
                open.clear();
                for (ContentPart.ToolCall c : m.toolCalls()) {
                    open.put(c.id(), c.name());
                }
            } else {
                for (ContentPart p : m.content()) {
                    if (p instanceof ContentPart.ToolResult r && open.remove(r.toolCallId()) != null) {
                        answered.add(r.toolCallId());
                    }
                }
            }
        }
        // pass 2: rebuild with synthetic results and without orphans
        List<Message> out = new ArrayList<>(messages.size() + 4);
        Set<String> openIds = new HashSet<>();
        boolean changed = false;
        for (Message m : messages) {
            if (m.role() == Role.ASSISTANT) {
                openIds.clear();
                out.add(m);
                for (ContentPart.ToolCall c : m.toolCalls()) {
                    if (answered.contains(c.id())) {
                        openIds.add(c.id());
                    } else if (!openIds.contains(c.id())) {
                        out.add(Message.toolResult(c.id(), ToolOutputs.envelope(c.name(), false, NO_RESULT)));
                        changed = true;
                    }
                }
                continue;
            }
            List<ContentPart> kept = null;
            for (int i = 0; i < m.content().size(); i++) {
                ContentPart p = m.content().get(i);
                boolean orphan = p instanceof ContentPart.ToolResult r && !openIds.remove(r.toolCallId());
                if (orphan && kept == null) {
                    kept = new ArrayList<>(m.content().subList(0, i));
                } else if (!orphan && kept != null) {
                    kept.add(p);
                }
            }
            if (kept == null) {
                out.add(m);
            } else {
                changed = true;
                if (!kept.isEmpty()) {
                    out.add(new Message(m.role(), kept));
                }
            }
        }
        return changed ? List.copyOf(out) : List.copyOf(messages);
    }
}
