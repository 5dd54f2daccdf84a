package dev.tether.context;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tether.event.TokenSource;
import dev.tether.provider.ResolvedModel;
import dev.tether.session.Cancellation;
import dev.tether.session.Message;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuxiliaryCallerTest {

    private final ContextWindows windows = new ContextWindows(Map.of(), 8192);
    private final AuxiliaryCaller caller = new AuxiliaryCaller(windows);
    private final AtomicReference<Cancellation> current = new AtomicReference<>();
    private final ResolvedModel model = new ScriptedResolver(new ScriptedProvider("openai", r -> {
        current.get().cancel();
        return ScriptedProvider.text("late");
    })).resolve("openai/gpt-4o");

    @AfterEach
    void close() {
        caller.close();
    }

    /**
     * A cancellation that arrives while the provider answers ends the call as cancelled, whichever comes first: the
     * answer or the registration of the cancel callback. Both orders occur across the repetitions; with the check
     * inside the wait's catch-all, the order "answer first" turned the cancellation into a failure.
     */
    @Test
    void aCancellationDuringTheCallAlwaysEndsItAsCancelled() {
        for (int i = 0; i < 300; i++) {
            Cancellation cancellation = new Cancellation();
            current.set(cancellation);
            assertThrows(Cancellation.CancelledException.class, () -> caller.call(model,
                    new AuxiliaryCaller.Call(TokenSource.RLM_ITERATION, List.of(Message.userText("summarise")),
                            List.of(), null, null, null, null), new RecordingEmitter(), cancellation, UsageSink.NONE), "call " + i);
        }
    }
}
