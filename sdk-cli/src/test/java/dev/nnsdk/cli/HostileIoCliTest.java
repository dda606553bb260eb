package dev.nnsdk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.inference.TextEmbedder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 17 through the command line: special files as {@code --output} and {@code --input}, output
 * permissions, numeric ranges, huge lines, and no temporary file left after SIGINT/SIGTERM.
 */
class HostileIoCliTest {

    @TempDir
    Path dir;

    private static final List<String> TEXTS = Arrays.asList("A cat sat on the mat.", "Stocks fell sharply.", "Hello");

    private Path input() throws IOException {
        return Files.write(dir.resolve("in.txt"), TEXTS, StandardCharsets.UTF_8);
    }

    private static void sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private static String fileType(Path p) throws IOException, InterruptedException {
        Process pr = new ProcessBuilder("stat", "-c", "%F", p.toString()).start();
        String out = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        pr.waitFor();
        return out;
    }

    /** Runs the CLI, returning the exit code; {@code err} receives stderr. */
    private static int run(StringBuilder err, String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
            return Cli.run(args);
        } finally {
            System.setErr(old);
            err.append(buf.toString(StandardCharsets.UTF_8));
        }
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".part") || n.endsWith(".tmp") || n.contains(".tmp-");
            }).collect(Collectors.toList());
        }
    }

    @Test
    void outputIntoAFifoDeliversTheLinesAndLeavesTheFifo() throws Exception {
        Path in = input();
        Path fifo = dir.resolve("out.fifo");
        sh("mkfifo", fifo.toString());
        CompletableFuture<List<String>> read = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = Files.newBufferedReader(fifo, StandardCharsets.UTF_8)) {
                return r.lines().collect(Collectors.toList());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        StringBuilder err = new StringBuilder();
        int code = assertTimeoutPreemptively(Duration.ofSeconds(120),
                () -> run(err, "embed", "--input", in.toString(), "--output", fifo.toString(), "--quiet"));
        assertEquals(0, code, err.toString());
        List<String> lines = read.get(60, TimeUnit.SECONDS);
        assertEquals(3, lines.size());
        for (String l : lines) {
            assertEquals(384, new ObjectMapper().readTree(l).get("embedding").size());
        }
        assertEquals("fifo", fileType(fifo));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void outputIntoACharacterDeviceLeavesTheDevice() throws Exception {
        Path in = input();
        Path dev = dir.resolve("null");
        try {
            sh("mknod", dev.toString(), "c", "1", "3");  // a null device node of our own, never the machine's /dev/null
        } catch (IOException e) {
            assumeTrue(false, "mknod is not permitted here (needs root, outside user namespaces): " + e.getMessage());
        }
        StringBuilder err = new StringBuilder();
        assertEquals(0, run(err, "embed", "--input", in.toString(), "--output", dev.toString(), "--quiet"), err.toString());
        assertEquals("character special file", fileType(dev));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void aSymlinkIsWrittenThroughAndPermissionsFollowTheUmaskOrTheReplacedFile() throws Exception {
        Path in = input();
        // a new file: 0666 minus the umask (0644 under the usual 022), not the 0600 of a temporary file
        Path fresh = dir.resolve("new.jsonl");
        StringBuilder err = new StringBuilder();
        assertEquals(0, run(err, "embed", "--input", in.toString(), "--output", fresh.toString(), "--quiet"), err.toString());
        assertEquals(expectedNewFileMode(), PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
        // a symlink: the link stays, its target is replaced and keeps its own permissions
        Path real = Files.writeString(dir.resolve("real.jsonl"), "old\n");
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-------"));
        Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), real);
        assertEquals(0, run(err, "embed", "--input", in.toString(), "--output", link.toString(), "--quiet"), err.toString());
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(3, Files.readAllLines(real).size());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(real)));
        // a dangling link is refused, and creates nothing
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.jsonl"), dir.resolve("nowhere.jsonl"));
        StringBuilder err2 = new StringBuilder();
        assertEquals(1, run(err2, "embed", "--input", in.toString(), "--output", dangling.toString(), "--quiet"));
        assertTrue(err2.toString().contains("symbolic link to a file that does not exist"), err2.toString());
        assertFalse(Files.exists(dir.resolve("nowhere.jsonl")));
        assertEquals(List.of(), leftovers());
    }

    private static String expectedNewFileMode() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", "umask").start();
        int umask = Integer.parseInt(new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim(), 8);
        p.waitFor();
        int mode = 0666 & ~umask;
        StringBuilder sb = new StringBuilder();
        String rwx = "rwx";
        for (int bit = 8; bit >= 0; bit--) {
            sb.append((mode & (1 << bit)) != 0 ? rwx.charAt(2 - bit % 3) : '-');
        }
        return sb.toString();
    }

    @Test
    void aFifoAsInputIsReadOnceAndDoesNotHang() throws Exception {
        Path fifo = dir.resolve("texts.txt");
        sh("mkfifo", fifo.toString());
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (OutputStream os = Files.newOutputStream(fifo)) {
                os.write(String.join("\n", TEXTS).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Path out = dir.resolve("out.jsonl");
        StringBuilder err = new StringBuilder();
        int code = assertTimeoutPreemptively(Duration.ofSeconds(120),
                () -> run(err, "embed", "--input", fifo.toString(), "--output", out.toString(), "--quiet"));
        assertEquals(0, code, err.toString());
        writer.get(10, TimeUnit.SECONDS);
        assertEquals(3, Files.readAllLines(out).size());
    }

    @Test
    void numericOptionsOutOfRangeAreRefusedWithTheRange() throws Exception {
        Path in = input();
        Path out = dir.resolve("out.jsonl");
        int max = dev.nnsdk.Ranges.maxThreads();
        for (String threads : Arrays.asList("2147483647", "100000", "5000")) {
            StringBuilder err = new StringBuilder();
            assertEquals(1, run(err, "embed", "--input", in.toString(), "--output", out.toString(), "--threads", threads));
            assertTrue(err.toString().contains("threads must be in 0.." + max + ", got " + threads), err.toString());
        }
        StringBuilder err = new StringBuilder();
        assertEquals(1, run(err, "search", "-k", "0", "a", "cat"));
        assertTrue(err.toString().contains("k must be in 1..1000000, got 0"), err.toString());
        assertFalse(Files.exists(out));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void aHugeLineIsEmbeddedFromItsFirstWordPiecesInTxtAndJsonl() throws Exception {
        StringBuilder sb = new StringBuilder(48 << 20);
        String sentence = "The quick brown fox jumps over the lazy dog near the riverbank. ";
        while (sb.length() < (48 << 20)) {
            sb.append(sentence);
        }
        String huge = sb.toString();
        Path txt = Files.writeString(dir.resolve("huge.txt"), huge + "\n");
        // 25 MB in .jsonl was "not valid JSON" (Jackson's default 20 M string limit)
        Path jsonl = Files.writeString(dir.resolve("huge.jsonl"), "{\"text\": \"" + huge.substring(0, 25 << 20) + "\"}\n");
        sb = null;
        float[] expected;
        try (TextEmbedder e = TextEmbedder.load("all-minilm-l6-v2")) {
            expected = e.embed(huge.substring(0, 3000));
        }
        huge = null;
        for (Path in : Arrays.asList(txt, jsonl)) {
            Path out = dir.resolve(in.getFileName() + ".out");
            StringBuilder err = new StringBuilder();
            assertEquals(0, run(err, "embed", "--input", in.toString(), "--output", out.toString(), "--quiet"), err.toString());
            List<String> lines = Files.readAllLines(out);
            assertEquals(1, lines.size());
            JsonNode v = new ObjectMapper().readTree(lines.get(0)).get("embedding");
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], (float) v.get(i).asDouble(), 1e-5, in + " dimension " + i);
            }
        }
    }

    @Test
    void sigtermAndSigintLeaveNoTemporaryFile() throws Exception {
        List<String> many = new ArrayList<String>();
        for (int i = 0; i < 50_000; i++) {
            many.add("Sentence number " + i + " about cats, markets, recipes and the weather in several words.");
        }
        Path in = Files.write(dir.resolve("many.txt"), many, StandardCharsets.UTF_8);
        for (String signal : Arrays.asList("TERM", "INT")) {
            Path out = dir.resolve("out-" + signal + ".jsonl");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-cp", System.getProperty("java.class.path"), Cli.class.getName(),
                    "embed", "--input", in.toString(), "--output", out.toString(), "--quiet")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child-" + signal + ".log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (leftovers().isEmpty() && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(p.isAlive(), "the child ended before the signal: " + Files.readString(dir.resolve("child-" + signal + ".log")));
            assertFalse(leftovers().isEmpty(), "the child never opened its temporary output");
            Thread.sleep(500); // inside the embedding loop
            sh("kill", "-" + signal, Long.toString(p.pid()));
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child did not end after SIG" + signal);
            assertEquals(List.of(), leftovers(), "SIG" + signal + " left a temporary file");
            assertFalse(Files.exists(out), "SIG" + signal + " left a partial output");
        }
    }

    /**
     * Item 8 on a real full disk: a 64 KiB tmpfs mounted in the test's directory (root only; elsewhere the test is
     * skipped and says why). 40 embeddings (about 8 KB of JSON each) cannot fit: the command fails with one line that
     * names the output file and the cause, leaves no temporary file and no partial output, and what was on the disk
     * before is untouched.
     */
    @Test
    void aFullDiskNamesTheOutputFileAndLeavesNothingBehind() throws Exception {
        List<String> texts = new ArrayList<String>();
        for (int i = 0; i < 40; i++) {
            texts.add("Sentence " + i + " about a full disk.");
        }
        Path in = Files.write(dir.resolve("forty.txt"), texts, StandardCharsets.UTF_8);
        Path small = Files.createDirectory(dir.resolve("small-disk"));
        try {
            sh("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", small.toString());
        } catch (IOException e) {
            assumeTrue(false, "cannot mount a small tmpfs here (needs root): " + e.getMessage());
        }
        try {
            Path keep = Files.writeString(small.resolve("keep.txt"), "was here before\n");
            Path out = small.resolve("out.jsonl");
            StringBuilder err = new StringBuilder();
            int code = run(err, "embed", "--input", in.toString(), "--output", out.toString(), "--quiet");
            assertTrue(code != 0, "embed onto a full disk exited 0: " + err);
            assertTrue(err.toString().contains(out.toString()) && err.toString().contains("No space left on device"),
                    err.toString());
            assertFalse(err.toString().contains("\tat "), "a stack trace: " + err);
            try (Stream<Path> left = Files.list(small)) {
                assertEquals(List.of(keep), left.collect(Collectors.toList()), "files left on the full disk");
            }
            assertEquals("was here before\n", Files.readString(keep));
        } finally {
            sh("umount", small.toString());
        }
    }
}
