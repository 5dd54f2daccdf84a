package dev.tether.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.testing.Sentinels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Confinement campaign (spec §4.5) at the tool level: every built-in tool against path tricks in its arguments, and
 * against session directories that lie, or come to lie, outside the workspace root (imported {@code cwd}s, symlinks,
 * swaps after creation and between calls). Sentinel files live outside the root, next to it; every case proves that
 * the outside tree is byte-for-byte unchanged, that nothing was created next to the root or in the process's working
 * directory, and that no result carries sentinel content. {@code bash} is no sandbox for what its command names, so
 * it runs in the session-directory cases (where it must refuse to start outside the root), not the argument ones.
 */
class WorkspaceConfinementCampaignTest {

    /** Written by every write attempt; must never appear outside the root (nor in the process's working directory). */
    private static final String PWNED = "confine-campaign-pwned.txt";
    /** Content of {@code secret.txt} inside the root: matches the same edit and grep as the sentinel, no token. */
    private static final String INSIDE_SECRET = "SENTINEL placeholder inside the root\n";
    private static final Path PROCESS_CWD = Path.of("").toAbsolutePath();

    private static final AtomicInteger CASES = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();
    private static final AtomicInteger RAN_INSIDE = new AtomicInteger();
    private static final Map<String, AtomicInteger> BY_GROUP = new ConcurrentSkipListMap<>();

    @TempDir
    Path tmp;

    private enum Expect { REFUSED, SUCCEEDS, EITHER }

    private record Trick(String name, Function<Fixture, String> path, Expect expect) {
    }

    private record DirTrick(String name, Function<Fixture, Path> directory, Mutation after, Expect expect) {
    }

    @FunctionalInterface
    private interface Mutation {
        void apply(Fixture f) throws IOException;

        Mutation NONE = f -> {
        };
    }

    private static final List<Tool> FILE_TOOLS = List.of(new ListTool(), new ReadTool(), new WriteTool(),
            new EditTool(), new GlobTool(), new GrepTool());
    private static final List<Tool> ALL_TOOLS = Stream.concat(FILE_TOOLS.stream(), Stream.of(new BashTool())).toList();

    // ------------------------------------------------------------------------------------------- path arguments

    private static List<Trick> pathTricks() {
        List<Trick> t = new ArrayList<>();
        Function<String, Trick> refusedLiteral = p -> new Trick(p, f -> p, Expect.REFUSED);
        for (String p : List.of("..", "../..", "../../outside", "../../outside/secret.txt", "../../outside/",
                "./../../outside/secret.txt", "sub/../../../outside/secret.txt", "a/../../../outside/secret.txt",
                "a/b/c/../../../../../outside/secret.txt", "../../outside/new.txt", "../../rootx/secret.txt",
                "/", "/etc/passwd", "/proc/self/cwd", "/proc/self/cwd/pom.xml", "/proc/self/cwd/" + PWNED,
                "link-out", "link-out/secret.txt", "link-out/sub/nested.txt", "link-out/new.txt", "file-out",
                "rel-out/secret.txt", "chain/secret.txt", "dangling-out", "dangling-dir-out/x.txt",
                "proc-cwd/pom.xml", "up", "link-in/../../outside/secret.txt",
                "loop1", "loop1/x", "a\u0000b", "\u0000/../../outside/secret.txt", "../../outside/secret.txt\u0000")) {
            t.add(refusedLiteral.apply(p));
        }
        t.add(new Trick("absolute outside file", f -> f.outside.dir().resolve(Sentinels.SECRET).toString(),
                Expect.REFUSED));
        t.add(new Trick("absolute outside dir", f -> f.outside.dir().toString(), Expect.REFUSED));
        t.add(new Trick("absolute outside sub dir", f -> f.outside.dir().resolve("sub").toString(), Expect.REFUSED));
        t.add(new Trick("absolute new file outside", f -> f.outside.dir().resolve("new.txt").toString(),
                Expect.REFUSED));
        t.add(new Trick("double leading slash", f -> "/" + f.outside.dir().resolve(Sentinels.SECRET),
                Expect.REFUSED));
        t.add(new Trick("many .. then the outside path", f -> "../".repeat(24)
                + f.outside.dir().resolve(Sentinels.SECRET).toString().substring(1), Expect.REFUSED));
        t.add(new Trick("absolute workspace root (outside the session dir)", f -> f.root.toString(),
                Expect.REFUSED));
        t.add(new Trick("absolute prefix twin rootx", f -> f.twin.dir().resolve(Sentinels.SECRET).toString(),
                Expect.REFUSED));
        t.add(new Trick("/proc/self/root + outside file", f -> "/proc/self/root" + f.outside.dir().resolve(
                Sentinels.SECRET), Expect.REFUSED));
        t.add(new Trick("/proc/self/root + outside dir", f -> "/proc/self/root" + f.outside.dir(), Expect.REFUSED));
        t.add(new Trick("/proc/self/root + new outside file", f -> "/proc/self/root" + f.outside.dir().resolve(
                "new.txt"), Expect.REFUSED));
        t.add(new Trick("/proc/thread-self/root + outside file", f -> "/proc/thread-self/root"
                + f.outside.dir().resolve(Sentinels.SECRET), Expect.REFUSED));
        t.add(new Trick("/proc/<pid>/root + outside file", f -> "/proc/" + ProcessHandle.current().pid() + "/root"
                + f.outside.dir().resolve(Sentinels.SECRET), Expect.REFUSED));
        t.add(new Trick("symlink to /proc/self/root + outside file", f -> "proc-root"
                + f.outside.dir().resolve(Sentinels.SECRET), Expect.REFUSED));
        // literal names and lexical forms that stay inside: they may succeed, but only inside
        for (String p : List.of("%2e%2e/%2e%2e/outside/secret.txt", "%2e%2e", "..%2f..%2foutside%2fsecret.txt",
                "..\\..\\outside\\secret.txt", ".../outside/secret.txt", "~/secret.txt", "up/../outside/secret.txt",
                "up/proj/../../outside/secret.txt", "link-in/in.txt", "dangling-in", "secret.txt",
                "sub//..//secret.txt", "./secret.txt/.")) {
            t.add(new Trick(p, f -> p, Expect.EITHER));
        }
        t.add(new Trick("file: URL of the outside file", f -> "file://" + f.outside.dir().resolve(Sentinels.SECRET),
                Expect.EITHER));
        return t;
    }

    /** One fixture per trick; every file tool tries it in turn (what one may leave behind stays inside). */
    @TestFactory
    Stream<DynamicTest> everyFileToolAgainstEveryPathTrick() {
        return pathTricks().stream().map(trick -> DynamicTest.dynamicTest(printable(trick.name()),
                () -> inFixture(f -> {
                    ToolContext context = f.context(f.proj);
                    for (Tool tool : FILE_TOOLS) {
                        f.check("path", tool, context, args(tool, trick.path().apply(f)), trick.expect(),
                                tool.name() + " " + printable(trick.name()));
                    }
                })));
    }

    // ------------------------------------------------------------------------------------- session directories

    private static List<DirTrick> directoryTricks() {
        return List.of(
                new DirTrick("imported cwd outside the root", f -> f.outside.dir(), Mutation.NONE, Expect.REFUSED),
                new DirTrick("imported cwd /", f -> Path.of("/"), Mutation.NONE, Expect.REFUSED),
                new DirTrick("root/../outside, not normalised", f -> f.root.resolve("../outside"), Mutation.NONE,
                        Expect.REFUSED),
                new DirTrick("/proc/self/root + outside", f -> Path.of("/proc/self/root" + f.outside.dir()),
                        Mutation.NONE, Expect.REFUSED),
                new DirTrick("/proc/self/cwd", f -> Path.of("/proc/self/cwd"), Mutation.NONE, Expect.REFUSED),
                new DirTrick("relative directory (the process's working directory)", f -> Path.of("relative-dir"),
                        Mutation.NONE, Expect.REFUSED),
                new DirTrick("prefix twin rootx", f -> f.twin.dir(), Mutation.NONE, Expect.REFUSED),
                new DirTrick("symlink in the root to outside", f -> f.root.resolve("escape-link"), Mutation.NONE,
                        Expect.REFUSED),
                new DirTrick("symlink chain to outside", f -> f.root.resolve("chain-dir"), Mutation.NONE,
                        Expect.REFUSED),
                new DirTrick("dangling symlink to outside", f -> f.root.resolve("dangling-dir"), Mutation.NONE,
                        Expect.REFUSED),
                new DirTrick("symlink loop", f -> f.root.resolve("loop-dir"), Mutation.NONE, Expect.REFUSED),
                new DirTrick("not yet existing, later a symlink to outside", f -> f.root.resolve("later"),
                        f -> Files.createSymbolicLink(f.root.resolve("later"), f.outside.dir()), Expect.REFUSED),
                new DirTrick("swapped for a symlink to outside", f -> f.proj, f -> f.swapProj(f.outside.dir()),
                        Expect.REFUSED),
                new DirTrick("swapped for a relative symlink ../outside", f -> f.proj,
                        f -> f.swapProj(Path.of("../outside")), Expect.REFUSED),
                new DirTrick("swapped for a symlink to /", f -> f.proj, f -> f.swapProj(Path.of("/")),
                        Expect.REFUSED),
                new DirTrick("swapped for a symlink to /proc/self/cwd", f -> f.proj,
                        f -> f.swapProj(Path.of("/proc/self/cwd")), Expect.REFUSED),
                new DirTrick("parent swapped for a symlink to outside", f -> f.root.resolve("parent/sub"),
                        f -> {
                            Files.move(f.root.resolve("parent"), f.root.resolve("parent-old"));
                            Files.createSymbolicLink(f.root.resolve("parent"), f.outside.dir());
                        }, Expect.REFUSED),
                new DirTrick("inside the root (control)", f -> f.proj, Mutation.NONE, Expect.SUCCEEDS),
                new DirTrick("the root itself (control)", f -> f.root, Mutation.NONE, Expect.SUCCEEDS),
                new DirTrick("symlink to a directory inside (control)", f -> f.root.resolve("in-link"),
                        Mutation.NONE, Expect.SUCCEEDS),
                new DirTrick("swapped for a symlink inside (control)", f -> f.proj,
                        f -> f.swapProj(f.root.resolve("other")), Expect.SUCCEEDS));
    }

    @TestFactory
    Stream<DynamicTest> everyToolAgainstEverySessionDirectory() {
        return directoryTricks().stream().map(trick -> DynamicTest.dynamicTest(trick.name(), () -> inFixture(f -> {
            ToolContext context = f.context(trick.directory().apply(f));
            trick.after().apply(f); // the session exists; now its directory changes under it
            for (Tool tool : ALL_TOOLS) {
                f.check("session directory", tool, context, benignArgs(tool), trick.expect(),
                        tool.name() + " in " + trick.name());
            }
        })));
    }

    @TestFactory
    Stream<DynamicTest> sessionDirectorySwappedBetweenCalls() {
        return ALL_TOOLS.stream().map(tool -> DynamicTest.dynamicTest(tool.name(), () -> inFixture(f -> {
            ToolContext context = f.context(f.proj); // one session, one context, three calls
            f.check("swap between calls", tool, context, benignArgs(tool), Expect.SUCCEEDS, tool.name() + " before");
            f.swapProj(f.outside.dir());
            f.check("swap between calls", tool, context, benignArgs(tool), Expect.REFUSED,
                    tool.name() + " after the swap out");
            Files.delete(f.proj);
            Files.createSymbolicLink(f.proj, f.root.resolve("other"));
            f.check("swap between calls", tool, context, benignArgs(tool), Expect.SUCCEEDS,
                    tool.name() + " after a swap back inside");
        })));
    }

    @FunctionalInterface
    private interface CaseBody {
        void run(Fixture f) throws Exception;
    }

    /** Runs one case in a fresh fixture, removed afterwards (links deleted, never followed). */
    private void inFixture(CaseBody body) throws Exception {
        Path base = Files.createTempDirectory(tmp, "case-");
        try {
            body.run(new Fixture(base));
        } finally {
            try (Stream<Path> walk = Files.walk(base)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @AfterAll
    static void report() {
        String groups = BY_GROUP.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        System.out.printf("confinement campaign: %d cases (%s); %d refused, %d ran inside the root; outside tree, "
                + "root siblings and process cwd unchanged in every case%n", CASES.get(), groups, REFUSED.get(),
                RAN_INSIDE.get());
    }

    // ---------------------------------------------------------------------------------------------- arguments

    private static String args(Tool tool, String path) {
        ObjectNode a = JsonNodeFactory.instance.objectNode().put("path", path);
        switch (tool.name()) {
            case "write" -> a.put("content", "PWNED");
            case "edit" -> a.put("old_string", "SENTINEL").put("new_string", "PWNED");
            case "glob" -> a.put("pattern", "**");
            case "grep" -> a.put("pattern", "SENTINEL");
            default -> {
            }
        }
        return a.toString();
    }

    /** Relative, harmless arguments: the session directory is the trick. */
    private static String benignArgs(Tool tool) {
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        switch (tool.name()) {
            case "list" -> a.put("path", ".");
            case "read" -> a.put("path", Sentinels.SECRET);
            case "write" -> a.put("path", PWNED).put("content", "PWNED");
            case "edit" -> a.put("path", Sentinels.SECRET).put("old_string", "SENTINEL").put("new_string", "PWNED");
            case "glob" -> a.put("pattern", "**");
            case "grep" -> a.put("pattern", "SENTINEL");
            case "bash" -> a.put("command", "cat " + Sentinels.SECRET + "; ls; echo PWNED > " + PWNED);
            default -> throw new IllegalArgumentException(tool.name());
        }
        return a.toString();
    }

    private static String printable(String s) {
        return s.replace("\u0000", "\\0");
    }

    // ------------------------------------------------------------------------------------------------ fixture

    /** The fixture's symlinks, relative to the root: in, out, dangling, looping, chained, through /proc. */
    private static final String LINKS = """
            proj/link-out -> @outside
            proj/file-out -> @outside/secret.txt
            proj/rel-out -> ../../outside
            proj/link-in -> sub
            proj/dangling-out -> @outside/created-by-link.txt
            proj/dangling-dir-out -> @outside/newdir
            proj/dangling-in -> sub/missing.txt
            proj/loop1 -> loop2
            proj/loop2 -> loop1
            proj/up -> ..
            proj/proc-root -> /proc/self/root
            proj/proc-cwd -> /proc/self/cwd
            proj/chain -> hop1
            proj/hop1 -> ../hop2
            hop2 -> @outside
            chain-dir -> hop2
            escape-link -> @outside
            dangling-dir -> @outside/missing-dir
            loop-dir -> loop-dir
            in-link -> proj
            """;

    /**
     * {@code base/root} (the workspace root) with {@code root/proj} (the session directory), {@code base/outside}
     * and {@code base/rootx} (a sibling sharing the root's name as prefix) holding sentinels, and symlinks of every
     * kind inside.
     */
    private static final class Fixture {
        final Path base;
        final Path root;
        final Path proj;
        final Sentinels outside;
        final Sentinels twin;
        final WorkspaceRoot workspaceRoot;

        Fixture(Path base) throws IOException {
            this.base = base.toRealPath();
            root = Files.createDirectories(this.base.resolve("root"));
            proj = Files.createDirectories(root.resolve("proj"));
            outside = Sentinels.plant(this.base.resolve("outside"));
            twin = Sentinels.plant(this.base.resolve("rootx"));
            workspaceRoot = new WorkspaceRoot(root);
            for (Path dir : List.of(root, proj, root.resolve("other"))) {
                Files.createDirectories(dir.resolve("sub"));
                Files.writeString(dir.resolve(Sentinels.SECRET), INSIDE_SECRET);
                Files.writeString(dir.resolve("sub/in.txt"), "in\n");
            }
            Files.createDirectories(root.resolve("parent/sub"));
            for (String line : LINKS.strip().split("\n")) {
                String[] link = line.strip().split(" -> ");
                String target = link[1].replace("@outside", outside.dir().toString());
                Files.createSymbolicLink(root.resolve(link[0]), Path.of(target));
            }
        }

        ToolContext context(Path sessionDirectory) {
            return new ToolContext("session-1", "call-1", sessionDirectory, workspaceRoot, false, false, () -> false,
                    ToolContext.OutputSink.NONE);
        }

        /** Replaces the session directory {@code root/proj} by a symlink to {@code target}. */
        void swapProj(Path target) throws IOException {
            Files.move(proj, root.resolve("proj-old-" + System.nanoTime()));
            Files.createSymbolicLink(proj, target);
        }

        /** Runs one call and proves nothing outside the root was read into the result or written. */
        void check(String group, Tool tool, ToolContext context, String json, Expect expect, String label)
                throws Exception {
            Map<String, String> outsideBefore = outside.snapshot();
            Map<String, String> twinBefore = twin.snapshot();
            Set<String> siblingsBefore = siblings();
            ToolResult result = runCatching(tool, context, json);
            outside.assertUnchanged(outsideBefore, label);
            twin.assertUnchanged(twinBefore, label);
            assertEquals(siblingsBefore, siblings(), "created next to the root: " + label);
            assertFalse(Files.exists(PROCESS_CWD.resolve(PWNED)), "written in the process's cwd: " + label);
            outside.assertNoLeak(result.output(), label);
            twin.assertNoLeak(result.output(), label);
            assertFalse(result.output().contains("<modelVersion>"), "read the process's cwd: " + label);
            if (expect == Expect.REFUSED) {
                assertFalse(result.success(), label + " → " + result.output());
            } else if (expect == Expect.SUCCEEDS) {
                assertTrue(result.success(), label + " → " + result.output());
            }
            CASES.incrementAndGet();
            BY_GROUP.computeIfAbsent(group, g -> new AtomicInteger()).incrementAndGet();
            (result.success() ? RAN_INSIDE : REFUSED).incrementAndGet();
        }

        private Set<String> siblings() throws IOException {
            try (Stream<Path> s = Files.list(base)) {
                return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            }
        }
    }

    /** A tool call as the executor sees it; an exception (e.g. a refused symlink) is a failed call. */
    private static ToolResult runCatching(Tool tool, ToolContext context, String json) {
        try {
            return ToolTestSupport.run(tool, context, json);
        } catch (Exception e) {
            return ToolResult.failure("Error: " + e.getMessage());
        }
    }
}
