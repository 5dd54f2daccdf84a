package dev.tether.api;

import dev.tether.config.TetherConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * The bearer token that protects every path but {@code /q/health/**} (checked by {@link HttpGate}):
 * {@code tether.auth.token}, else the first line of {@code tether.auth.token-file}. At startup it refuses to run off
 * loopback without a token. The token is never logged.
 */
@ApplicationScoped
public class ApiAuth {

    private static final String BEARER = "Bearer ";
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9A-Fa-f:.]+]?");

    private final Optional<byte[]> token;

    @Inject
    public ApiAuth(TetherConfig config) {
        this(resolve(config.auth()));
    }

    ApiAuth(Optional<String> token) {
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    /** The configured token, read once; a token file that cannot be read stops the service. */
    static Optional<String> resolve(TetherConfig.Auth auth) {
        Optional<String> direct = auth.token().map(String::trim).filter(t -> !t.isEmpty());
        if (direct.isPresent()) {
            return direct;
        }
        if (auth.tokenFile().isEmpty() || auth.tokenFile().get().isBlank()) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(Path.of(auth.tokenFile().get()), StandardCharsets.UTF_8);
            Optional<String> first = lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(0).trim());
            return first.filter(t -> !t.isEmpty());
        } catch (IOException e) {
            throw new IllegalStateException("tether.auth.token-file cannot be read", e);
        }
    }

    public boolean required() {
        return token.isPresent();
    }

    /** Whether the {@code Authorization} header carries the token; compared in constant time. */
    public boolean accepts(String authorization) {
        if (token.isEmpty()) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] given = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token.get(), given);
    }

    void checkAtStartup(@Observes StartupEvent event, Config config) {
        String host = config.getOptionalValue("quarkus.http.host", String.class).orElse("127.0.0.1");
        requireTokenOffLoopback(host);
    }

    /** Refuses to serve a non-loopback address without a token. */
    void requireTokenOffLoopback(String host) {
        if (!isLoopback(host) && token.isEmpty()) {
            throw new IllegalStateException("Refusing to start: quarkus.http.host=" + host + " is not a loopback "
                    + "address and no API token is configured. Set TETHER_AUTH_TOKEN (tether.auth.token) or "
                    + "TETHER_AUTH_TOKEN_FILE (tether.auth.token-file), or listen on 127.0.0.1.");
        }
    }

    /** {@code localhost} and loopback IP literals; any other name counts as exposed (no DNS lookup). */
    static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String h = host.trim();
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!IP_LITERAL.matcher(h).matches()) {
            return false;
        }
        try {
            return InetAddress.getByName(h.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
