package dev.tether.tool;

import static dev.tether.tool.ToolTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileToolsTest {

    @TempDir
    Path ws;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(ws.resolve("a.txt"), "hello\n");
    }

    private static void assertFailure(ToolResult r, String output) {
        assertFalse(r.success(), r.output());
        assertEquals(output, r.output());
    }

    @Test
    void everyBuiltinToolIsExactAndDeclaresItsReadOnlyFlag() {
        ToolRegistry registry = ToolRegistry.builtins(true);
        assertEquals(java.util.List.of("bash", "edit", "glob", "grep", "list", "read", "write"), registry.names());
        for (Tool t : registry.tools()) {
            assertEquals(OutputKind.EXACT, t.outputKind(), t.name());
            assertEquals("object", t.parameters().path("type").asText());
        }
        assertTrue(new ReadTool().readOnly() && new ListTool().readOnly() && new GlobTool().readOnly()
                && new GrepTool().readOnly());
        assertFalse(new WriteTool().readOnly() || new EditTool().readOnly() || new BashTool().readOnly());
    }

    @Nested
    class ListTests {
        @Test
        void entriesSortedDirectoriesSuffixedDotFilesIncludedGitSkipped() throws Exception {
            Files.createDirectories(ws.resolve("src"));
            Files.createDirectories(ws.resolve(".git/objects"));
            Files.writeString(ws.resolve(".env"), "x");
            Files.writeString(ws.resolve("b.txt"), "x");
            ToolResult r = run(new ListTool(), ws, "{}");
            assertTrue(r.success());
            assertEquals(".env\na.txt\nb.txt\nsrc/", r.output());
            assertEquals(r.output(), run(new ListTool(), ws, "{\"path\":\".\"}").output());
        }

        @Test
        void moreThanAThousandEntriesAreSummarised() throws Exception {
            Path big = Files.createDirectories(ws.resolve("big"));
            for (int i = 0; i < 1003; i++) {
                Files.writeString(big.resolve(String.format("f%04d", i)), "");
            }
            ToolResult r = run(new ListTool(), ws, "{\"path\":\"big\"}");
            String[] lines = r.output().split("\n");
            assertEquals(1001, lines.length);
            assertEquals("f0999", lines[999]);
            assertEquals("… 3 more entries", lines[1000]);
        }

        @Test
        void failsOnMissingPathAndOnAFile() throws Exception {
            assertFailure(run(new ListTool(), ws, "{\"path\":\"nope\"}"), "Path not found: nope");
            assertFailure(run(new ListTool(), ws, "{\"path\":\"a.txt\"}"), "Not a directory: a.txt");
            assertFailure(run(new ListTool(), ws, "{\"path\":\"..\"}"), "Path escapes the workspace: ..");
        }
    }

    @Nested
    class ReadTests {
        @Test
        void scenario7_numberedLine() throws Exception {
            ToolResult r = run(new ReadTool(), ws, "{\"path\":\"a.txt\"}");
            assertTrue(r.success());
            assertEquals("     1\thello", r.output());
            assertEquals(1, r.metadata().get("total_lines").asInt());
        }

        @Test
        void offsetLimitAndTrailer() throws Exception {
            Files.writeString(ws.resolve("n.txt"),
                    IntStream.rangeClosed(1, 10).mapToObj(i -> "line" + i).collect(Collectors.joining("\n")) + "\n");
            ToolResult r = run(new ReadTool(), ws, "{\"path\":\"n.txt\",\"offset\":3,\"limit\":2}");
            assertEquals("     3\tline3\n     4\tline4\n(file has more lines; continue with offset=5)", r.output());
            assertEquals(10, r.metadata().get("total_lines").asInt());
            ToolResult tail = run(new ReadTool(), ws, "{\"path\":\"n.txt\",\"offset\":9}");
            assertEquals("     9\tline9\n    10\tline10", tail.output());
        }

        @Test
        void defaultLimitIs2000LinesAndLongLinesAreCut() throws Exception {
            String content = IntStream.rangeClosed(1, 2001).mapToObj(i -> i == 1 ? "x".repeat(2500) : "l")
                    .collect(Collectors.joining("\n"));
            Files.writeString(ws.resolve("long.txt"), content);
            ToolResult r = run(new ReadTool(), ws, "{\"path\":\"long.txt\"}");
            String[] lines = r.output().split("\n");
            assertEquals(2001, lines.length);
            assertEquals("     1\t" + "x".repeat(2000) + "…", lines[0]);
            assertEquals("(file has more lines; continue with offset=2001)", lines[2000]);
        }

        @Test
        void emptyFileYieldsEmptyOutput() throws Exception {
            Files.writeString(ws.resolve("empty.txt"), "");
            ToolResult r = run(new ReadTool(), ws, "{\"path\":\"empty.txt\"}");
            assertTrue(r.success());
            assertEquals("", r.output());
            assertEquals(0, r.metadata().get("total_lines").asInt());
        }

        @Test
        void failures() throws Exception {
            assertFailure(run(new ReadTool(), ws, "{\"path\":\"missing.txt\"}"), "File not found: missing.txt");
            Files.createDirectories(ws.resolve("dir"));
            assertFailure(run(new ReadTool(), ws, "{\"path\":\"dir\"}"), "Is a directory, not a file: dir (use list)");
            Files.write(ws.resolve("bin.dat"), new byte[]{'a', 0, 'b'});
            assertFailure(run(new ReadTool(), ws, "{\"path\":\"bin.dat\"}"), "Cannot read binary file: bin.dat");
            assertFailure(run(new ReadTool(), ws, "{\"path\":\"a.txt\",\"offset\":5}"),
                    "offset 5 is past the end of the file (1 lines)");
            assertFailure(run(new ReadTool(), ws, "{\"path\":\"../../etc/passwd\"}"),
                    "Path escapes the workspace: ../../etc/passwd");
        }

        @Test
        void scenario24_symlinkOutOfTheWorkspaceIsRefused() throws Exception {
            Files.createSymbolicLink(ws.resolve("out"), Path.of("/etc"));
            assertFailure(run(new ReadTool(), ws, "{\"path\":\"out/passwd\"}"), "Path escapes the workspace: out/passwd");
            assertFailure(run(new ReadTool(), ws, "{\"path\":\"/etc/passwd\"}"), "Path escapes the workspace: /etc/passwd");
        }

        @Test
        void gitDirectoryCanStillBeReadExplicitly() throws Exception {
            Files.createDirectories(ws.resolve(".git"));
            Files.writeString(ws.resolve(".git/HEAD"), "ref: refs/heads/main\n");
            assertEquals("     1\tref: refs/heads/main", run(new ReadTool(), ws, "{\"path\":\".git/HEAD\"}").output());
        }
    }

    @Nested
    class WriteTests {
        @Test
        void createsParentsAndReportsBytes() throws Exception {
            ToolResult r = run(new WriteTool(), ws, "{\"path\":\"deep/er/new.txt\",\"content\":\"héllo\"}");
            assertTrue(r.success());
            assertEquals("Wrote 6 bytes to deep/er/new.txt", r.output());
            assertEquals(6, r.metadata().get("bytes").asInt());
            assertTrue(r.metadata().get("created").asBoolean());
            assertEquals("héllo", Files.readString(ws.resolve("deep/er/new.txt"), StandardCharsets.UTF_8));
        }

        @Test
        void overwritesExistingFile() throws Exception {
            ToolResult r = run(new WriteTool(), ws, "{\"path\":\"a.txt\",\"content\":\"bye\"}");
            assertEquals("Wrote 3 bytes to a.txt", r.output());
            assertFalse(r.metadata().get("created").asBoolean());
            assertEquals("bye", Files.readString(ws.resolve("a.txt")));
        }

        @Test
        void refusesToWriteThroughALinkOrOutsideOrOntoADirectory() throws Exception {
            Path outside = Files.createTempDirectory("tether-outside");
            try {
                Files.createSymbolicLink(ws.resolve("evil"), outside.resolve("created.txt"));
                assertFailure(run(new WriteTool(), ws, "{\"path\":\"evil\",\"content\":\"x\"}"),
                        "Path escapes the workspace: evil");
                assertFalse(Files.exists(outside.resolve("created.txt")));
                assertFailure(run(new WriteTool(), ws, "{\"path\":\"../x.txt\",\"content\":\"x\"}"),
                        "Path escapes the workspace: ../x.txt");
            } finally {
                Files.deleteIfExists(outside);
            }
            Files.createDirectories(ws.resolve("d"));
            assertFailure(run(new WriteTool(), ws, "{\"path\":\"d\",\"content\":\"x\"}"), "Is a directory, not a file: d");
        }
    }

    @Nested
    class EditTests {
        @Test
        void scenario23_notFoundAmbiguousThenReplaceAll() throws Exception {
            Files.writeString(ws.resolve("b.txt"), "x x");
            assertFailure(run(new EditTool(), ws, "{\"path\":\"b.txt\",\"old_string\":\"y\",\"new_string\":\"z\"}"),
                    "old_string not found in b.txt");
            assertFailure(run(new EditTool(), ws, "{\"path\":\"b.txt\",\"old_string\":\"x\",\"new_string\":\"z\"}"),
                    "old_string matches 2 times in b.txt; add surrounding context to make it unique or set replace_all");
            assertEquals("x x", Files.readString(ws.resolve("b.txt")));
            ToolResult r = run(new EditTool(), ws,
                    "{\"path\":\"b.txt\",\"old_string\":\"x\",\"new_string\":\"z\",\"replace_all\":true}");
            assertTrue(r.success());
            assertEquals("Replaced 2 occurrence(s) in b.txt", r.output());
            assertEquals(2, r.metadata().get("replacements").asInt());
            assertEquals("z z", Files.readString(ws.resolve("b.txt")));
        }

        @Test
        void uniqueMatchIsReplacedCaseSensitively() throws Exception {
            Files.writeString(ws.resolve("c.txt"), "Hello hello");
            ToolResult r = run(new EditTool(), ws, "{\"path\":\"c.txt\",\"old_string\":\"hello\",\"new_string\":\"bye\"}");
            assertEquals("Replaced 1 occurrence(s) in c.txt", r.output());
            assertEquals("Hello bye", Files.readString(ws.resolve("c.txt")));
        }

        @Test
        void emptyOrIdenticalStringsAndMissingFileFail() throws Exception {
            assertFailure(run(new EditTool(), ws, "{\"path\":\"a.txt\",\"old_string\":\"\",\"new_string\":\"z\"}"),
                    "old_string must not be empty");
            assertFailure(run(new EditTool(), ws,
                            "{\"path\":\"a.txt\",\"old_string\":\"hello\",\"new_string\":\"hello\"}"),
                    "old_string and new_string are identical; nothing to change");
            assertFailure(run(new EditTool(), ws, "{\"path\":\"zz.txt\",\"old_string\":\"a\",\"new_string\":\"b\"}"),
                    "File not found: zz.txt");
        }
    }

    @Nested
    class GlobTests {
        @BeforeEach
        void tree() throws Exception {
            Files.createDirectories(ws.resolve("src/main"));
            Files.createDirectories(ws.resolve(".git"));
            Files.writeString(ws.resolve("src/main/B.java"), "");
            Files.writeString(ws.resolve("src/A.java"), "");
            Files.writeString(ws.resolve("Top.java"), "");
            Files.writeString(ws.resolve(".git/X.java"), "");
        }

        @Test
        void matchesFilesAcrossDirectoriesSortedWorkspaceRelativeSkippingGit() throws Exception {
            ToolResult r = run(new GlobTool(), ws, "{\"pattern\":\"**/*.java\"}");
            assertTrue(r.success());
            assertEquals("Top.java\nsrc/A.java\nsrc/main/B.java", r.output());
            assertEquals("Top.java", run(new GlobTool(), ws, "{\"pattern\":\"*.java\"}").output());
        }

        @Test
        void pathScopesTheSearchButOutputStaysWorkspaceRelative() throws Exception {
            assertEquals("src/main/B.java", run(new GlobTool(), ws, "{\"pattern\":\"main/*\",\"path\":\"src\"}").output());
        }

        @Test
        void directoriesAreNotListed() throws Exception {
            assertEquals("src/A.java\nsrc/main/B.java", run(new GlobTool(), ws, "{\"pattern\":\"src/**\"}").output());
        }

        @Test
        void limitAddsMoreLine() throws Exception {
            assertEquals("Top.java\n… 2 more matches", run(new GlobTool(), ws, "{\"pattern\":\"**/*.java\",\"limit\":1}")
                    .output());
        }

        @Test
        void escapingPathFails() throws Exception {
            assertFailure(run(new GlobTool(), ws, "{\"pattern\":\"*\",\"path\":\"/etc\"}"), "Path escapes the workspace: /etc");
        }
    }

    @Nested
    class GrepTests {
        @BeforeEach
        void tree() throws Exception {
            Files.createDirectories(ws.resolve("src"));
            Files.createDirectories(ws.resolve(".git"));
            Files.writeString(ws.resolve("src/Main.java"), "class Main {\n  // hello world\n}\n");
            Files.writeString(ws.resolve("notes.md"), "Hello\nsay hello again\n");
            Files.writeString(ws.resolve(".git/config"), "hello from git\n");
            Files.write(ws.resolve("bin.dat"), new byte[]{'h', 'e', 'l', 'l', 'o', 0});
        }

        @Test
        void regexMatchesSortedByPathThenLineSkippingGitAndBinaries() throws Exception {
            ToolResult r = run(new GrepTool(), ws, "{\"pattern\":\"hel+o\"}");
            assertTrue(r.success());
            assertEquals("a.txt:1:hello\nnotes.md:2:say hello again\nsrc/Main.java:2:  // hello world", r.output());
        }

        @Test
        void includeFiltersFileNamesAndLiteralDisablesRegex() throws Exception {
            assertEquals("src/Main.java:2:  // hello world",
                    run(new GrepTool(), ws, "{\"pattern\":\"hello\",\"include\":\"*.java\"}").output());
            Files.writeString(ws.resolve("re.txt"), "a.b\naxb\n");
            assertEquals("re.txt:1:a.b", run(new GrepTool(), ws, "{\"pattern\":\"a.b\",\"literal\":true}").output());
            assertEquals("re.txt:1:a.b\nre.txt:2:axb", run(new GrepTool(), ws, "{\"pattern\":\"a.b\",\"path\":\"re.txt\"}")
                    .output());
        }

        @Test
        void noMatchIsSuccessAndInvalidRegexFails() throws Exception {
            ToolResult none = run(new GrepTool(), ws, "{\"pattern\":\"zzz\"}");
            assertTrue(none.success());
            assertEquals("No matches", none.output());
            ToolResult bad = run(new GrepTool(), ws, "{\"pattern\":\"(unclosed\"}");
            assertFalse(bad.success());
            assertTrue(bad.output().startsWith("Invalid regular expression: "), bad.output());
        }

        @Test
        void limitLongLinesAndBigFiles() throws Exception {
            Files.writeString(ws.resolve("many.txt"), "m\n".repeat(5) + "m" + "y".repeat(600) + "\n");
            ToolResult r = run(new GrepTool(), ws, "{\"pattern\":\"^m\",\"limit\":2}");
            assertEquals("many.txt:1:m\nmany.txt:2:m\n… 4 more matches", r.output());
            ToolResult longLine = run(new GrepTool(), ws, "{\"pattern\":\"my\"}");
            assertEquals("many.txt:6:m" + "y".repeat(499), longLine.output());
            byte[] big = new byte[10 * 1024 * 1024 + 10];
            java.util.Arrays.fill(big, (byte) 'q');
            Files.write(ws.resolve("big.txt"), big);
            assertEquals("No matches", run(new GrepTool(), ws, "{\"pattern\":\"qqq\"}").output());
        }
    }
}
