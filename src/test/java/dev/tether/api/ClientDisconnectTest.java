package dev.tether.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.testing.FakeLlmResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** A client that goes away mid-request is logged at DEBUG, never as an error and never through the 500 mapper. */
@QuarkusTest
@WithTestResource(FakeLlmResource.class)
class ClientDisconnectTest {

    @Test
    void aClientClosingMidBodyIsADebugLineNotAnError() throws Exception {
        String path = "/api/sessions/disconnect-" + System.nanoTime() + "/prompt";
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        CountDownLatch wentAway = new CountDownLatch(1);
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                String text = String.valueOf(r.getMessage()) + " " + List.of(r.getParameters() == null ? new Object[0]
                        : r.getParameters());
                if (text.contains(path)) {
                    records.add(r);
                    if (r.getLevel().intValue() <= Level.FINE.intValue() && text.contains("went away")) {
                        wentAway.countDown();
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger api = Logger.getLogger("dev.tether.api");
        Level level = api.getLevel();
        Logger root = Logger.getLogger("");
        api.setLevel(Level.FINE);
        root.addHandler(capture);
        api.addHandler(capture);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n{\"message\":\"").getBytes(StandardCharsets.UTF_8));
            out.flush();
            socket.setSoLinger(true, 0); // close with a reset, as a crashed client does
        } finally {
            try {
                assertTrue(wentAway.await(20, TimeUnit.SECONDS), "no DEBUG line for the disconnect: " + records);
            } finally {
                root.removeHandler(capture);
                api.removeHandler(capture);
                api.setLevel(level);
            }
        }
        assertEquals(List.of(), records.stream().filter(r -> r.getLevel().intValue() > Level.FINE.intValue())
                .map(r -> r.getLevel() + " " + r.getMessage()).toList(), "logged above DEBUG");
    }
}
