package dev.tether.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;

/** Which failures are a client going away (DEBUG, no 500) and which are faults of the service. */
class DisconnectsTest {

    @Test
    void clientDisconnectsAreRecognisedAlsoWhenWrapped() {
        assertTrue(Disconnects.isDisconnect(new ClosedChannelException()));
        assertTrue(Disconnects.isDisconnect(new IOException(new IOException(new HttpClosedException("gone")))));
        assertTrue(Disconnects.isDisconnect(new IOException("Broken pipe")));
        assertTrue(Disconnects.isDisconnect(new SocketException("Connection reset by peer")));
        assertTrue(Disconnects.isDisconnect(new UncheckedIOException(new IOException("Connection reset"))));
        assertTrue(Disconnects.isDisconnect(new RuntimeException(new ClosedChannelException())));
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(Disconnects.isDisconnect(new IOException("No space left on device")));
        assertFalse(Disconnects.isDisconnect(new IllegalStateException("boom")));
        assertFalse(Disconnects.isDisconnect(new RuntimeException("Broken pipe"))); // not an I/O failure
        assertFalse(Disconnects.isDisconnect(null));
    }
}
