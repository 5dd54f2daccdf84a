package dev.tether.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.config.TetherConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token resolution, the constant-time check and the off-loopback startup rule, without booting Quarkus. */
class ApiAuthTest {

    @TempDir
    Path dir;

    private static TetherConfig.Auth auth(String token, String file) {
        return new TetherConfig.Auth() {
            @Override
            public Optional<String> token() {
                return Optional.ofNullable(token);
            }

            @Override
            public Optional<String> tokenFile() {
                return Optional.ofNullable(file);
            }

            @Override
            public boolean publicMetrics() {
                return false;
            }
        };
    }

    @Test
    void tokenComesFromConfigElseFirstLineOfTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "  from-file \nsecond line\n");
        assertEquals(Optional.of("direct"), ApiAuth.resolve(auth("direct", file.toString())));
        assertEquals(Optional.of("from-file"), ApiAuth.resolve(auth(null, file.toString())));
        assertEquals(Optional.of("from-file"), ApiAuth.resolve(auth("  ", file.toString())));
        assertEquals(Optional.empty(), ApiAuth.resolve(auth(null, null)));
        assertThrows(IllegalStateException.class, () -> ApiAuth.resolve(auth(null, dir.resolve("missing").toString())));
    }

    @Test
    void bearerHeaderMustCarryTheToken() {
        ApiAuth a = new ApiAuth(Optional.of("s3cret"));
        assertTrue(a.required());
        assertTrue(a.accepts("Bearer s3cret"));
        assertTrue(a.accepts("bearer s3cret"));
        assertFalse(a.accepts("Bearer s3cre"));
        assertFalse(a.accepts("Bearer s3crets"));
        assertFalse(a.accepts("Basic s3cret"));
        assertFalse(a.accepts(null));
        assertTrue(new ApiAuth(Optional.empty()).accepts(null));
    }

    @Test
    void offLoopbackWithoutTokenRefusesToStart() {
        ApiAuth open = new ApiAuth(Optional.empty());
        open.requireTokenOffLoopback("127.0.0.1");
        open.requireTokenOffLoopback("localhost");
        open.requireTokenOffLoopback("::1");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> open.requireTokenOffLoopback("0.0.0.0"));
        assertTrue(e.getMessage().contains("TETHER_AUTH_TOKEN"));
        assertThrows(IllegalStateException.class, () -> open.requireTokenOffLoopback("example.org"));
        new ApiAuth(Optional.of("t")).requireTokenOffLoopback("0.0.0.0");
        assertTrue(ApiAuth.isLoopback("127.0.0.2"));
        assertFalse(ApiAuth.isLoopback("10.0.0.1"));
    }
}
