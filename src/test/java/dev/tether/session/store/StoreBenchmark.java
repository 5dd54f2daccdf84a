package dev.tether.session.store;

import dev.tether.bench.Figures;
import dev.tether.testing.StoreDefaults;
import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.SessionMetadata;
import dev.tether.session.Usage;
import dev.tether.testing.PostgresSchema;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Store benchmark (not a test): append cost against history size, load of a large session, and listing 10,000
 * sessions. The file store on real files with real fsync in a scratch directory under {@code target/}; the
 * PostgreSQL store on the test server ({@link PostgresSchema}, a schema of its own, dropped after) through an Agroal
 * pool. Run with {@code bench/store.sh} (see docs/BENCHMARKS.md).
 *
 * <p>Arguments: {@code [file|postgres (default file)] [appends-per-size (default 300)] [sessions-to-list (default
 * 10000)]}. An append is measured with its commit: one durability point per record.
 */
public final class StoreBenchmark {

    private static final String TEXT = "Please look at src/main/java/tk/DateParser.java and explain why the test fails "
            + "around New Year; the pattern may use week-based years. ".repeat(2);

    private StoreBenchmark() {
    }

    /** A store of the benchmarked kind on {@code dir} (file) or on the benchmark's schema (postgres). */
    private interface Stores {
        SessionStore open(Path dir, StoreSettings settings);
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args));
        String kind = !rest.isEmpty() && rest.get(0).matches("file|postgres") ? rest.remove(0) : "file";
        int appends = !rest.isEmpty() ? Integer.parseInt(rest.get(0)) : 300;
        int sessions = rest.size() > 1 ? Integer.parseInt(rest.get(1)) : 10_000;
        if (kind.equals("postgres")) {
            postgres(appends, sessions);
            return;
        }
        Path root = Files.createDirectories(Path.of("target", "bench-store"));
        deleteTree(root);
        System.out.printf("# Store benchmark: %d appends per history size, %d sessions listed%n", appends, sessions);
        System.out.printf("java %s, %s %s, %d cpus, data in %s%n%n", System.getProperty("java.version"),
                System.getProperty("os.name"), System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                root.toAbsolutePath());
        Stores files = (dir, settings) -> new FileSessionStore(dir, settings, new SimpleMeterRegistry());
        appendCost(files, root.resolve("append"), appends);
        listing(root.resolve("list"), sessions);
        deleteTree(root);
    }

    private static void postgres(int appends, int sessions) throws Exception {
        PostgresSchema schema = PostgresSchema.create();
        AgroalDataSource pool = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(p -> p.maxSize(8).connectionFactoryConfiguration(
                        f -> f.jdbcUrl(schema.url()).principal(new NamePrincipal(PostgresSchema.USER)))));
        try {
            System.out.printf("# Store benchmark (PostgreSQL, %s): %d appends per history size, %d sessions listed%n",
                    PostgresSchema.URL, appends, sessions);
            System.out.printf("java %s, %s %s, %d cpus%n%n", System.getProperty("java.version"),
                    System.getProperty("os.name"), System.getProperty("os.arch"),
                    Runtime.getRuntime().availableProcessors());
            Stores pg = (dir, settings) -> new PgSessionStore(pool, settings, new SimpleMeterRegistry(),
                    dev.tether.config.Json.mapper());
            appendCost(pg, null, appends);
            genericListing(pg.open(null, StoreDefaults.settings()), sessions);
        } finally {
            pool.close();
            schema.drop();
        }
    }

    private static void appendCost(Stores stores, Path dir, int appends) {
        // No checkpoint while measuring: the number is the append itself (encode, write, fsync or commit, index).
        StoreSettings settings = StoreDefaults.settings().withSnapshotEvery(Integer.MAX_VALUE);
        SessionStore store = stores.open(dir, settings);
        System.out.println("## Append + commit (one durability point per record of ~250 bytes: fsync or transaction)");
        System.out.println();
        System.out.println("| history (messages) | snapshot before | mean µs | median µs | p99 µs |");
        System.out.println("|---:|---:|---:|---:|---:|");
        double mean10 = 0;
        double mean10k = 0;
        double median10 = 0;
        double median10k = 0;
        for (int history : new int[] {10, 1_000, 10_000}) {
            String id = "bench-" + history;
            List<Message> messages = new ArrayList<>(history);
            for (int i = 0; i < history; i++) {
                messages.add(i % 2 == 0 ? Message.userText(TEXT + i) : Message.assistantText(TEXT + i));
            }
            Instant t0 = Instant.parse("2026-11-02T10:00:00Z");
            store.save(new Session(id, "bench", t0, t0, SessionMetadata.DEFAULT, null, messages, List.of(), Usage.ZERO));
            long size = dir == null ? -1 : sizeOf(dir.resolve("sessions").resolve(id + ".json"));
            long[] nanos = new long[appends];
            try (SessionWriter w = store.openWriter(id)) {
                for (int i = 0; i < 20; i++) { // warm-up
                    w.appendMessage(Message.userText(TEXT), Instant.now());
                    w.commit();
                }
                for (int i = 0; i < appends; i++) {
                    Message m = Message.userText(TEXT + i);
                    long start = System.nanoTime();
                    w.appendMessage(m, Instant.now());
                    w.commit();
                    nanos[i] = System.nanoTime() - start;
                }
            }
            if (history == 10_000) {
                loadCost(() -> stores.open(dir, settings), id);
            }
            List<Double> samples = Arrays.stream(nanos).mapToObj(n -> n / 1e6).toList();
            Figures.print(String.format("store append at %,d messages of history", history), samples, "ms", "");
            Arrays.sort(nanos);
            double mean = Arrays.stream(nanos).average().orElse(0) / 1000.0;
            double median = nanos[appends / 2] / 1000.0;
            System.out.printf("| %,d | %s | %.0f | %.0f | %.0f |%n", history, size < 0 ? "(in the database)"
                            : String.format("%,d KiB", size / 1024), mean, median,
                    nanos[Math.min(appends - 1, (int) (appends * 0.99))] / 1000.0);
            if (history == 10) {
                mean10 = mean;
                median10 = median;
            } else if (history == 10_000) {
                mean10k = mean;
                median10k = median;
            }
        }
        System.out.printf("%nratio 10,000 / 10: mean %.2f, median %.2f%n%n", mean10k / mean10, median10k / median10);
        String large = "bench-10000";
        store.load(large); // warm-up
        long start = System.nanoTime();
        int loaded = store.load(large).messages().size();
        System.out.printf("load of a large session (%,d messages, after close: snapshot, journal empty): %.1f ms%n%n",
                loaded, (System.nanoTime() - start) / 1e6);
        if (store instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Listing through the {@link SessionStore} interface only (the PostgreSQL store). */
    private static void genericListing(SessionStore store, int sessions) {
        Instant t0 = Instant.parse("2026-11-02T10:00:00Z");
        long start = System.nanoTime();
        for (int i = 0; i < sessions; i++) {
            store.create(Session.create("Session number " + i, null,
                    SessionMetadata.DEFAULT.withDirectory("/work/project-" + (i % 50)), t0.plusMillis(i * 1000L)));
        }
        double createMs = (System.nanoTime() - start) / 1e6;
        System.out.println("## Listing");
        System.out.println();
        System.out.printf("created %,d sessions in %.1f s (%.2f ms each: one committed transaction)%n%n",
                sessions, createMs / 1000, createMs / sessions);
        System.out.println("| operation | ms |");
        System.out.println("|---|---:|");
        timed("first page (100)", () -> store.list(new ListQuery(Optional.empty(), 100, Optional.empty())));
        timed("first page again (100)", () -> store.list(new ListQuery(Optional.empty(), 100, Optional.empty())));
        timed("every session (listAll)", store::listAll);
        timed("page of one directory (limit 100)",
                () -> store.list(new ListQuery(Optional.of("/work/project-7"), 100, Optional.empty())));
        int pageSize = Math.max(1, Math.min(ListQuery.MAX_LIMIT, sessions / 2));
        SessionPage first = store.list(new ListQuery(Optional.empty(), pageSize, Optional.empty()));
        timed("page after a cursor (limit " + pageSize + ")",
                () -> store.list(new ListQuery(Optional.empty(), pageSize, Optional.ofNullable(first.nextCursor()))));
        timed("count", store::count);
        System.out.println();
    }

    private static void timed(String what, Runnable op) {
        long start = System.nanoTime();
        op.run();
        System.out.printf("| %s | %.1f |%n", what, (System.nanoTime() - start) / 1e6);
    }

    /**
     * Loading a whole session (snapshot + journal replay) as a new process would: a new store each time, since a store
     * keeps what it read as an open session and would answer the next load from memory.
     */
    private static void loadCost(Supplier<SessionStore> fresh, String id) {
        List<Double> loads = new ArrayList<>();
        int messages = 0;
        for (int i = 0; i < 20; i++) {
            SessionStore store = fresh.get();
            long start = System.nanoTime();
            messages = store.load(id).messages().size();
            loads.add((System.nanoTime() - start) / 1e6);
            if (store instanceof FileSessionStore files) {
                files.close();
            }
        }
        Figures.print(String.format("store load of a %,d-message session", messages), loads, "ms", "");
    }

    private static void listing(Path dir, int sessions) throws IOException {
        FileSessionStore store = new FileSessionStore(dir, StoreDefaults.settings(), new SimpleMeterRegistry());
        Instant t0 = Instant.parse("2026-11-02T10:00:00Z");
        long start = System.nanoTime();
        for (int i = 0; i < sessions; i++) {
            Session s = Session.create("Session number " + i, null,
                    SessionMetadata.DEFAULT.withDirectory("/work/project-" + (i % 50)), t0.plusMillis(i * 1000L));
            store.create(s);
        }
        double createMs = (System.nanoTime() - start) / 1e6;
        store.close();
        System.out.println("## Listing");
        System.out.println();
        System.out.printf("created %,d sessions in %.1f s (%.2f ms each: snapshot write + fsync + directory fsync)%n%n",
                sessions, createMs / 1000, createMs / sessions);
        System.out.println("| operation | ms | transcript reads |");
        System.out.println("|---|---:|---:|");

        FileSessionStore cold = new FileSessionStore(dir, StoreDefaults.settings(), new SimpleMeterRegistry());
        row("cold start: load index + stat scan + first page (100)", cold,
                () -> cold.list(new ListQuery(Optional.empty(), 100, Optional.empty())));
        row("warm: first page (100)", cold, () -> cold.list(new ListQuery(Optional.empty(), 100, Optional.empty())));
        row("warm: every session (listAll)", cold, cold::listAll);
        row("warm: page of one directory (limit 100)", cold,
                () -> cold.list(new ListQuery(Optional.of("/work/project-7"), 100, Optional.empty())));
        int pageSize = Math.max(1, Math.min(ListQuery.MAX_LIMIT, sessions / 2));
        SessionPage first = cold.list(new ListQuery(Optional.empty(), pageSize, Optional.empty()));
        row("warm: page after a cursor (limit " + pageSize + ")", cold,
                () -> cold.list(new ListQuery(Optional.empty(), pageSize, Optional.ofNullable(first.nextCursor()))));
        row("re-check against files (stat scan, nothing changed)", cold, cold::refreshIndex);
        cold.close();
        FileSessionStore second = new FileSessionStore(dir, StoreDefaults.settings(), new SimpleMeterRegistry());
        row("cold start again (new store instance, JIT warm)", second,
                () -> second.list(new ListQuery(Optional.empty(), 100, Optional.empty())));
        second.close();

        Files.delete(dir.resolve("sessions").resolve(ListingIndex.FILE_NAME));
        FileSessionStore rebuild = new FileSessionStore(dir, StoreDefaults.settings(), new SimpleMeterRegistry());
        row("index file deleted: rebuild + first page", rebuild,
                () -> rebuild.list(new ListQuery(Optional.empty(), 100, Optional.empty())));
        rebuild.close();
        System.out.println();
    }

    private static void row(String what, FileSessionStore store, Runnable op) {
        long reads = store.transcriptReads();
        long start = System.nanoTime();
        op.run();
        double ms = (System.nanoTime() - start) / 1e6;
        System.out.printf("| %s | %.1f | %d |%n", what, ms, store.transcriptReads() - reads);
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(root)) {
                    Files.delete(p);
                }
            }
        }
    }
}
