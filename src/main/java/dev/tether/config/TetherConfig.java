package dev.tether.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the service, under {@code tether.}. Environment variables follow the MicroProfile mapping
 * ({@code tether.data-dir} ← {@code TETHER_DATA_DIR}). This package depends on nothing, so every capability may
 * read its group.
 */
@ConfigMapping(prefix = "tether")
public interface TetherConfig {

    /** Root directory of the store; sessions live under {@code sessions/}. */
    @WithDefault("./data")
    String dataDir();

    /** Model of new sessions and of sessions without one, as {@code provider/model}. */
    @WithDefault("openai/gpt-4o")
    String defaultModel();

    Workspace workspace();

    Auth auth();

    Store store();

    Providers providers();

    Agent agent();

    Tools tools();

    Events events();

    Context context();

    Codex codex();

    A2a a2a();

    /** Where sessions may work. */
    interface Workspace {
        /** A session's directory must lie inside this root; default: the process's working directory. */
        Optional<String> root();
    }

    /** Bearer-token protection of every path except {@code /q/health/**}. */
    interface Auth {
        /** The bearer token clients must send. Required when the service listens off loopback. */
        Optional<String> token();

        /** A file holding the token (first line); used when {@code token} is unset. */
        Optional<String> tokenFile();

        /** Serve {@code /q/metrics} and {@code /q/openapi} without the token (e.g. for a scraper on a private network). */
        @WithDefault("false")
        boolean publicMetrics();
    }

    /** The session store: the embedded file store or PostgreSQL (spec §9). */
    interface Store {
        /**
         * Which store holds the sessions: {@code file} (under {@code data-dir}, one writer per volume) or
         * {@code postgres} (the Quarkus datasource {@code quarkus.datasource.*}; several replicas serve every session).
         * Only {@code postgres} activates the datasource and its Flyway migrations.
         */
        @WithDefault("file")
        StoreKind kind();

        /**
         * With {@code kind=postgres}: a data dir whose file store is copied into PostgreSQL at start (sessions already
         * there are skipped, so a restart resumes an interrupted copy).
         */
        Optional<String> importFrom();

        /** Journal records after which the snapshot is rewritten and the journal rolled. */
        @WithDefault("2000")
        int snapshotEvery();

        /** Sessions larger than this are refused on load (no partial load). */
        @WithDefault("536870912")
        long maxSessionBytes();

        /** Durable events kept for replay per session when the journal is rolled. */
        @WithDefault("10000")
        int eventRetention();

        /**
         * Sessions kept in memory between their turns, so that a prompt on an open session neither reloads it nor
         * replays its journal (checked against the files' stamps, so a change by another process is never missed).
         */
        @WithDefault("256")
        int openSessions();

        /** An open session unused this long is dropped from memory (its journal checkpointed when it has records). */
        @WithDefault("60s")
        Duration openSessionIdle();
    }

    /** Model providers. A provider counts as configured when its base URL is set and, off loopback, a key is present. */
    interface Providers {
        /** Any OpenAI-compatible {@code /chat/completions} server. */
        @WithName("openai")
        Provider openai();

        /** The Anthropic Messages API. */
        @WithName("anthropic")
        Provider anthropic();

        /** Default provider for bare model ids; else the first configured of openai, anthropic. */
        Optional<String> defaultProvider();
    }

    /** One provider endpoint. */
    interface Provider {
        /** Base URL, e.g. {@code https://api.openai.com/v1} or {@code http://127.0.0.1:11434/v1}. */
        Optional<String> baseUrl();

        /** API key; never logged, streamed or stored. */
        Optional<String> apiKey();

        /** Model used when only the provider is named. */
        Optional<String> defaultModel();

        /** Extra HTTP headers sent with every request (e.g. OpenRouter's {@code HTTP-Referer}). */
        Map<String, String> headers();

        /** TCP connect timeout. */
        @WithDefault("10s")
        Duration connectTimeout();

        /** Timeout of a non-streaming request. */
        @WithDefault("300s")
        Duration requestTimeout();

        /** A stream with no chunk for this long is restarted. */
        @WithDefault("300s")
        Duration streamIdleTimeout();

        /** Models (substring match) that reject {@code temperature}; it is omitted for them. */
        Optional<List<String>> noTemperatureModels();
    }

    /** The agentic loop. */
    interface Agent {
        /** Steps per turn unless the prompt says otherwise. */
        @WithDefault("50")
        int maxSteps();

        /** Completion {@code max_tokens}. */
        @WithDefault("8192")
        int maxTokens();

        /** Sampling temperature of loop requests. */
        @WithDefault("0.7")
        double temperature();

        /** Restarts of a failed stream per provider call. */
        @WithDefault("5")
        int maxStreamRestarts();

        /**
         * Wall time of one loop provider call, retries, restarts and their waits included. A call still without a
         * complete answer then fails (fatal): the turn ends with {@code error}. With the 300 s stream idle timeout a
         * provider that stalls every attempt is given up after two attempts, not after all six.
         */
        @WithDefault("10m")
        Duration maxCallDuration();

        /**
         * Wall time of one turn, from its start to its terminal event. When it passes the turn is cancelled at its
         * next cancellation point (provider call, wait, tool) and ends with {@code error}.
         */
        @WithDefault("30m")
        Duration maxTurnDuration();

        /** Timeout of the AI title call. */
        @WithDefault("10s")
        Duration titleTimeout();

        /** Images per prompt. */
        @WithDefault("8")
        int maxImages();

        /** Decoded bytes per image. */
        @WithDefault("10485760")
        int maxImageBytes();

        /** System instructions per agent name; {@code build} has a built-in default. */
        Map<String, String> instructions();

        /**
         * How long a prompt's {@code Idempotency-Key} is remembered (from the start of its turn): a retry with the key
         * within this time returns the first turn's result instead of running the prompt again; after it, the key is
         * forgotten and may start a new turn.
         */
        @WithDefault("24h")
        Duration idempotencyRetention();

        /**
         * Prompts admitted at once across all sessions: running turns plus prompts waiting behind a session's running
         * turn ({@code if_busy: queue}). Each holds a thread of the Quarkus worker pool; a prompt beyond the limit is
         * refused at once with 503 {@code too-many-turns} (nothing is stored), so a client retries later. 256, so that
         * 200 sessions prompting back to back are all served (32 refused 68 of 100 at once, 128 thousands of the 200's
         * prompts); a turn mostly waits for its model, holding a thread but little CPU. The worker pool is sized for it
         * ({@code quarkus.thread-pool.max-threads} in application.properties, docs/ARCHITECTURE.md "Threads").
         */
        @WithDefault("256")
        int maxConcurrentTurns();
    }

    /** Built-in tools. */
    interface Tools {
        /** {@code bash}: off unless enabled. */
        Bash bash();

        /** Read-only calls that run at the same time within one parallel group. */
        @WithDefault("8")
        int parallelism();

        interface Bash {
            /** Advertise and run {@code bash}. */
            @WithDefault("false")
            boolean enabled();
        }
    }

    /** Live events. */
    interface Events {
        /** Per-subscriber buffer; a full buffer drops ephemeral events for that subscriber only. */
        @WithDefault("256")
        int subscriberBuffer();

        /** Durable events a subscriber may lag behind before it is cut off with {@code lagged}. */
        @WithDefault("10000")
        int durableBacklog();

        /** Interval of SSE keep-alive comments. */
        @WithDefault("15s")
        Duration keepAlive();
    }

    /** Context management. */
    interface Context {
        /** Context-window overrides by case-insensitive substring of the model id; they take precedence over the table. */
        Map<String, Integer> windows();
    }

    /** Codex CLI import. */
    interface Codex {
        /**
         * Codex home; {@code application.properties} sets it to {@code $CODEX_HOME}. Unset, empty or blank (also an
         * empty {@code CODEX_HOME}): {@link #defaultHome()}.
         */
        Optional<String> home();

        /** Codex home when {@link #home()} is unset or empty; default {@code ~/.codex}. */
        @WithDefault("${user.home}/.codex")
        String defaultHome();

        /** The Codex home in use: {@link #home()} when not blank, else {@link #defaultHome()}. */
        default Path resolvedHome() {
            return Path.of(home().filter(h -> !h.isBlank()).orElse(defaultHome()));
        }
    }

    /** The A2A endpoint (spec §14). */
    interface A2a {
        /**
         * The JSON-RPC endpoint URL the agent card advertises, e.g. {@code https://agents.example.com/a2a} behind a
         * proxy; default: {@code /a2a} on the scheme and host the card was requested with.
         */
        Optional<String> url();
    }

    /** The kinds of session store ({@code tether.store.kind}). */
    enum StoreKind {
        /** Files under {@code tether.data-dir}. */
        FILE,
        /** PostgreSQL through the Quarkus datasource. */
        POSTGRES
    }
}
