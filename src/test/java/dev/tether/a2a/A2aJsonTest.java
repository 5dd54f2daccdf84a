package dev.tether.a2a;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.Json;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Golden JSON of the A2A wire types through the service's one mapper (camelCase, not its snake_case), and task ids. */
class A2aJsonTest {

    private final ObjectMapper mapper = Json.mapper();

    @Test
    void aTaskIsWrittenInA2aCamelCaseWithItsKind() throws Exception {
        A2aMessage user = new A2aMessage("user", List.of(Part.Text.of("hi")), "m-1", "c:t", "c", null);
        A2aTask task = new A2aTask("c:t", "c", new A2aTask.TaskStatus(A2aTask.State.COMPLETED, null, null),
                List.of(user), List.of(new A2aTask.Artifact("c:t-answer", "answer", null, List.of(Part.Text.of("yo")))),
                null);
        assertEquals("{\"id\":\"c:t\",\"contextId\":\"c\",\"status\":{\"state\":\"completed\"},\"history\":[{\"role\":"
                + "\"user\",\"parts\":[{\"kind\":\"text\",\"text\":\"hi\"}],\"messageId\":\"m-1\",\"taskId\":\"c:t\","
                + "\"contextId\":\"c\",\"kind\":\"message\"}],\"artifacts\":[{\"artifactId\":\"c:t-answer\",\"name\":"
                + "\"answer\",\"parts\":[{\"kind\":\"text\",\"text\":\"yo\"}]}],\"kind\":\"task\"}",
                mapper.writeValueAsString(task));
    }

    @Test
    void updatesCarryTheirKindAndFinal() throws Exception {
        StreamEvent.StatusUpdate status = new StreamEvent.StatusUpdate("c:t", "c",
                new A2aTask.TaskStatus(A2aTask.State.WORKING, null, "2026-12-02T10:00:00Z"), false);
        assertEquals("{\"taskId\":\"c:t\",\"contextId\":\"c\",\"kind\":\"status-update\",\"status\":{\"state\":"
                + "\"working\",\"timestamp\":\"2026-12-02T10:00:00Z\"},\"final\":false}", mapper.writeValueAsString(status));
        StreamEvent.ArtifactUpdate artifact = new StreamEvent.ArtifactUpdate("c:t", "c",
                new A2aTask.Artifact("a", "answer", null, List.of(Part.Text.of("x"))), false, true);
        assertEquals("{\"taskId\":\"c:t\",\"contextId\":\"c\",\"kind\":\"artifact-update\",\"artifact\":{\"artifactId\":"
                + "\"a\",\"name\":\"answer\",\"parts\":[{\"kind\":\"text\",\"text\":\"x\"}]},\"append\":false,"
                + "\"lastChunk\":true}", mapper.writeValueAsString(artifact));
    }

    @Test
    void messageSendParamsReadEveryPartKind() throws Exception {
        Params.MessageSend params = mapper.readValue("{\"message\":{\"kind\":\"message\",\"role\":\"user\","
                + "\"messageId\":\"m\",\"contextId\":\"ctx\",\"parts\":[{\"kind\":\"text\",\"text\":\"a\"},"
                + "{\"kind\":\"file\",\"file\":{\"bytes\":\"AA==\",\"mimeType\":\"image/png\"}},"
                + "{\"kind\":\"data\",\"data\":{\"k\":1}}]},\"configuration\":{\"blocking\":false,\"historyLength\":2}}",
                Params.MessageSend.class);
        assertEquals("ctx", params.message().contextId());
        assertInstanceOf(Part.Text.class, params.message().parts().get(0));
        assertEquals("image/png", ((Part.File) params.message().parts().get(1)).file().mimeType());
        assertEquals(1, ((Part.Data) params.message().parts().get(2)).data().get("k").asInt());
        assertEquals(false, params.configuration().blocking());
        assertEquals(2, params.configuration().historyLength());
        var prompt = Prompts.of(params.message());
        assertEquals("a\n{\"k\":1}", prompt.message());
        assertEquals("data:image/png;base64,AA==", prompt.images().get(0).dataUrl());
    }

    @Test
    void taskIdsNameTheirSessionAndNothingElseParses() {
        TaskIds.TaskId id = TaskIds.newTask("sess_1-a");
        assertEquals(Optional.of(id), TaskIds.parse(id.value()));
        assertTrue(id.value().startsWith("sess_1-a:"));
        for (String bad : new String[] {null, "", "x", ":" + id.value().substring(9), "sess:NOT-A-UUID",
            "a b:" + id.value().substring(9), id.value() + "x"}) {
            assertEquals(Optional.empty(), TaskIds.parse(bad), bad);
        }
        A2aException e = assertThrows(A2aException.class, () -> TaskIds.require("x"));
        assertEquals(A2aException.TASK_NOT_FOUND, e.code());
    }
}
