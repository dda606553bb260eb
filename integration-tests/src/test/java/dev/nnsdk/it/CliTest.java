package dev.nnsdk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.cli.Cli;
import dev.nnsdk.inference.TextEmbedder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sdk-cli contract (docs/cli.md) through {@link Cli#run}: output format and order, exit codes,
 * messages on stderr, and no output file (nor temporary file) left behind by a failure.
 */
class CliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static TextEmbedder api;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() {
        api = TextEmbedder.load("all-minilm-l6-v2");
    }

    @AfterAll
    static void close() {
        api.close();
    }

    static final class Result {
        final int code;
        final String out;
        final String err;

        Result(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "exit " + code + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    static Result run(Object... args) {
        String[] a = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            a[i] = String.valueOf(args[i]);
        }
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Cli.run(a);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private Path write(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, content.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    private static List<float[]> readVectors(Path out) throws IOException {
        List<float[]> vs = new ArrayList<float[]>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            JsonNode n = JSON.readTree(line);
            assertEquals(1, n.size(), "only the embedding field: " + line.substring(0, Math.min(80, line.length())));
            JsonNode e = n.get("embedding");
            float[] v = new float[e.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = e.get(i).floatValue();
            }
            vs.add(v);
        }
        return vs;
    }

    private static void assertSameVectors(List<String> texts, List<float[]> got) {
        List<float[]> want = api.embedAll(texts);
        assertEquals(texts.size(), got.size(), "one line per input text");
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(384, got.get(i).length);
            assertEquals(1.0, TestTexts.norm(got.get(i)), 1e-5);
            assertTrue(TestTexts.maxAbsDiff(want.get(i), got.get(i)) <= 1e-6, "text " + i + ": " + texts.get(i));
        }
    }

    /** Files in {@code dir} (recursively), so tests can assert nothing was left behind. */
    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().collect(Collectors.toList());
        }
    }

    // ---------------------------------------------------------------- output correctness

    @Test
    void txtInputOneLinePerTextInOrder() throws IOException {
        List<String> texts = Arrays.asList("The cat sat on the mat.", "", "Ünïcödé café 🍕", "   ", "我们今天去公园散步。",
                TestTexts.longTexts().get(0), "last line");
        Path in = write("texts.txt", String.join("\n", texts) + "\n");
        Path out = tmp.resolve("vectors.jsonl");
        Result r = run("embed", "--input", in, "--output", out);
        assertEquals(0, r.code, r.toString());
        assertEquals("", r.out, "nothing on stdout");
        assertSameVectors(texts, readVectors(out));
    }

    @Test
    void jsonlAndGzipInputs() throws IOException {
        List<String> texts = new ArrayList<String>(TestTexts.VARIED.subList(0, 40));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < texts.size(); i++) {
            sb.append(JSON.writeValueAsString(java.util.Collections.singletonMap("text", texts.get(i)))).append('\n');
            if (i == 3) {
                sb.append("\n"); // blank lines in JSONL are skipped
            }
        }
        Path jsonl = write("in.jsonl", sb.toString());
        Path out1 = tmp.resolve("out1.jsonl");
        Result r = run("embed", "--input", jsonl, "--output", out1, "--batch-size", "7");
        assertEquals(0, r.code, r.toString());
        List<float[]> v1 = readVectors(out1);
        assertSameVectors(texts, v1);

        Path gz = tmp.resolve("in.jsonl.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        Path out2 = tmp.resolve("out2.jsonl");
        r = run("embed", "--input", gz, "--output", out2);
        assertEquals(0, r.code, r.toString());
        List<float[]> v2 = readVectors(out2);
        for (int i = 0; i < v1.size(); i++) {
            assertTrue(TestTexts.maxAbsDiff(v1.get(i), v2.get(i)) <= 1e-6);
        }

        Path other = write("field.jsonl", "{\"body\": \"hello\", \"text\": 3}\n{\"body\": \"world\"}\n");
        Path out3 = tmp.resolve("out3.jsonl");
        r = run("embed", "--input", other, "--output", out3, "--field", "body", "--model", "all-minilm-l6-v2");
        assertEquals(0, r.code, r.toString());
        assertSameVectors(Arrays.asList("hello", "world"), readVectors(out3));
    }

    @Test
    void outputReplacesAnOldFileAndCreatesMissingDirectories() throws IOException {
        Path in = write("t.txt", "one\ntwo\n");
        Path out = tmp.resolve("new/nested/dir/v.jsonl");
        Result r = run("embed", "--input", in, "--output", out);
        assertEquals(0, r.code, r.toString());
        assertEquals(2, readVectors(out).size());
        write("old.jsonl", "old content\n");
        r = run("embed", "--input", in, "--output", tmp.resolve("old.jsonl"));
        assertEquals(0, r.code, r.toString());
        assertEquals(2, readVectors(tmp.resolve("old.jsonl")).size());
        assertFalse(files(tmp).stream().anyMatch(f -> f.endsWith(".part")), files(tmp).toString());
    }

    @Test
    void progressGoesToStderrOnly() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            sb.append("short text number ").append(i).append('\n');
        }
        Path in = write("many.txt", sb.toString());
        Path out = tmp.resolve("many.jsonl");
        Result r = run("embed", "--input", in, "--output", out, "--model", "all-minilm-l6-v2-int8");
        assertEquals(0, r.code, r.toString());
        assertEquals("", r.out);
        assertTrue(r.err.contains("embed") && r.err.contains("300/300"), r.err);
        assertEquals(300, Files.readAllLines(out).size());
        r = run("embed", "--input", in, "--output", out, "--quiet", "--model", "all-minilm-l6-v2-int8");
        assertEquals(0, r.code, r.toString());
        assertEquals("", r.err.trim(), "--quiet prints nothing");
    }

    @Test
    void modelsAndSearch() {
        Result r = run("models");
        assertEquals(0, r.code, r.toString());
        List<String> ids = Arrays.asList(r.out.trim().split("\\R"));
        assertTrue(ids.contains("all-minilm-l6-v2") && ids.contains("all-minilm-l6-v2-int8"), r.out);
        r = run("models", "--long");
        assertEquals(0, r.code, r.toString());
        for (String line : r.out.trim().split("\\R")) {
            assertTrue(line.contains("\t"), line);
        }
        r = run("search", "-k", "2", "feline", "pet", "napping");
        assertEquals(0, r.code, r.toString());
        String[] lines = r.out.trim().split("\\R");
        assertEquals(2, lines.length, r.out);
        assertTrue(lines[0].matches("0\\.\\d{4}\tThe cat sleeps on the warm windowsill\\."), lines[0]);
    }

    /**
     * Issue 15 item 5: search --index keeps the corpus vectors, so a second query reads them instead of embedding the
     * corpus (proved by tampering with the stored vectors), and a changed corpus rebuilds the index.
     */
    @Test
    void searchIndexIsReusedAndRebuiltWhenTheCorpusChanges() throws IOException {
        List<String> texts = new ArrayList<String>();
        for (int i = 0; i < 70; i++) {
            texts.add("Report number " + i + " about the weather and the markets.");
        }
        texts.set(17, "The cat sleeps on the warm windowsill.");
        Path corpus = tmp.resolve("corpus.txt");
        Files.write(corpus, texts, StandardCharsets.UTF_8);
        Path index = tmp.resolve("corpus.idx");
        Result first = run("search", "--corpus", corpus, "--index", index, "-k", "1", "feline", "pet", "napping");
        assertEquals(0, first.code, first.toString());
        assertTrue(first.out.endsWith("\tThe cat sleeps on the warm windowsill." + System.lineSeparator()), first.out);
        assertTrue(first.err.contains("wrote index"), first.err);
        List<String> lines = Files.readAllLines(index, StandardCharsets.UTF_8);
        assertEquals(71, lines.size(), "header + one line per text");
        JsonNode header = JSON.readTree(lines.get(0));
        assertEquals(dev.nnsdk.io.Checksums.sha256(corpus), header.get("corpusSha256").asText());
        assertEquals(384, header.get("dimension").asInt());
        assertTrue(header.get("modelSha256").asText().matches("[0-9a-f]{64}"), header.toString());

        // Swap the stored vectors of text 17 and text 3: if the index is read, text 3 now comes out on top.
        String v17 = lines.get(18);
        lines.set(18, lines.get(4));
        lines.set(4, v17);
        Files.write(index, lines, StandardCharsets.UTF_8);
        Result second = run("search", "--corpus", corpus, "--index", index, "-k", "1", "feline", "pet", "napping");
        assertEquals(0, second.code, second.toString());
        assertTrue(second.out.endsWith("\t" + texts.get(3) + System.lineSeparator()), "the index was not used: " + second.out);
        assertFalse(second.err.contains("wrote index") || second.err.contains("embed corpus"), second.err);

        // A changed corpus: the index no longer matches, is rebuilt, and the answer is right again.
        texts.add("One more line.");
        Files.write(corpus, texts, StandardCharsets.UTF_8);
        Result third = run("search", "--corpus", corpus, "--index", index, "-k", "1", "feline", "pet", "napping");
        assertEquals(0, third.code, third.toString());
        assertTrue(third.err.contains("corpusSha256") && third.err.contains("wrote index"), third.err);
        assertTrue(third.out.endsWith("\tThe cat sleeps on the warm windowsill." + System.lineSeparator()), third.out);

        Result noCorpus = run("search", "--index", index, "cat");
        assertEquals(2, noCorpus.code, noCorpus.toString());
        assertTrue(noCorpus.err.contains("--index needs --corpus"), noCorpus.err);
    }

    /**
     * Issue 15 item 3: without the shared assets, what needs them says so and names SDK_ASSETS_DIR; an unknown engine
     * suggests no module that does not exist. Run in a child JVM whose environment has no SDK_ASSETS_DIR.
     */
    @Test
    void missingAssetsAreNamedAndUnknownEnginesSuggestNoFakeModule() throws Exception {
        Path photo = tmp.resolve("dog.jpg");
        try (java.io.InputStream in = CliTest.class.getResourceAsStream("/images/dog.jpg")) {
            Files.copy(in, photo);
        }
        String[][] cases = {
            {"SDK_ASSETS_DIR", "search", "--engine", "djl", "a", "query"},
            {"SDK_ASSETS_DIR", "classify-image", "--model", "mobilenet-v2-nsfw", "--input", photo.toString(), "--output",
                    tmp.resolve("o.jsonl").toString()},
            {"'djl' (dev.nnsdk:sdk-djl)", "search", "--engine", "tf", "a", "query"},
        };
        for (String[] c : cases) {
            List<String> cmd = new ArrayList<String>(Arrays.asList(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-cp", System.getProperty("java.class.path"), "dev.nnsdk.cli.Cli"));
            cmd.addAll(Arrays.asList(c).subList(1, c.length));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().remove("SDK_ASSETS_DIR");
            Process p = pb.start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, p.waitFor(), String.join(" ", cmd) + ": " + err);
            assertTrue(err.contains(c[0]), String.join(" ", c) + " should name " + c[0] + ": " + err);
            assertFalse(err.contains("sdk-tf"), err);
        }
    }

    /**
     * Issue 15 item 4, on the jar users run (sdk-cli/target/sdk-cli.jar with its lib/, its own logging binding and
     * configuration): a djl run prints no INFO/DEBUG line of DJL and no CUDA probe; --verbose brings them back, and
     * an error is one line without a stack trace. Child JVMs, since the logging set-up is per JVM.
     */
    @Test
    void theShippedCliLogsWarningsAndErrorsOnlyUnlessVerbose() throws Exception {
        Path assets = FineTuningAssets.require("models/minilm-l6-v2/model.torchscript.pt").getParent().getParent().getParent();
        Path jar = Path.of("..", "sdk-cli", "target", "sdk-cli.jar").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(jar), "the CLI jar is built before the integration tests: " + jar);
        String[] quiet = shippedCli(jar, assets, 0, "search", "--engine", "djl", "-k", "1", "a", "cat");
        assertTrue(quiet[0].contains("\t"), "a search result on stdout: " + quiet[0]);
        for (String noise : new String[] {"INFO", "DEBUG", "CudaUtils", "GPU", "SLF4J"}) {
            assertFalse(quiet[1].contains(noise), "'" + noise + "' on stderr of a plain run: " + quiet[1]);
        }
        String[] verbose = shippedCli(jar, assets, 0, "search", "--engine", "djl", "-k", "1", "--verbose", "a", "cat");
        assertTrue(verbose[1].contains("INFO"), "--verbose shows the engines' INFO lines: " + verbose[1]);
        String[] error = shippedCli(jar, assets, 1, "embed", "--input", tmp.resolve("missing.txt").toString(), "--output",
                tmp.resolve("o.jsonl").toString());
        assertTrue(error[1].startsWith("error: ") && error[1].trim().split("\\R").length == 1, error[1]);
    }

    /** stdout and stderr of {@code java -jar sdk-cli.jar args}, asserting its exit code. */
    private static String[] shippedCli(Path jar, Path assets, int expectedExit, String... args) throws Exception {
        List<String> cmd = new ArrayList<String>(Arrays.asList(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dsdk.assets.dir=" + assets, "-jar", jar.toString()));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("SDK_DEBUG");
        Process p = pb.start();
        java.util.concurrent.CompletableFuture<byte[]> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), String.join(" ", cmd));
        String stdout = new String(out.get(), StandardCharsets.UTF_8);
        assertEquals(expectedExit, p.exitValue(), String.join(" ", args) + "\nstdout: " + stdout + "\nstderr: " + err);
        return new String[] {stdout, err};
    }

    // ---------------------------------------------------------------- errors

    /** A failed run: exit 1, the message on stderr, no stack trace, and no file written. */
    private Result assertFails(String expectedInMessage, Object... args) throws IOException {
        List<String> before = files(tmp);
        Result r = run(args);
        assertEquals(1, r.code, r.toString());
        assertTrue(r.err.startsWith("error: "), r.err);
        assertTrue(r.err.contains(expectedInMessage), "stderr should contain '" + expectedInMessage + "': " + r.err);
        assertFalse(r.err.contains("\tat "), "no stack trace: " + r.err);
        // Issue 15 item 8: no internals in the message (was "not a valid gzip file: null", temporary file names).
        assertFalse(r.err.contains(": null") || r.err.contains(".part"), "internals in the message: " + r.err);
        assertEquals(before, files(tmp), "no output or temporary file is left behind");
        return r;
    }

    @Test
    void unknownModelListsKnownIds() throws IOException {
        Path in = write("t.txt", "hello\n");
        Result r = assertFails("Unknown model 'no-such-model'", "embed", "--model", "no-such-model", "--input", in,
                "--output", tmp.resolve("o.jsonl"));
        assertTrue(r.err.contains("all-minilm-l6-v2-int8"), r.err);
    }

    @Test
    void inputProblemsNameTheFileAndLine() throws IOException {
        Path out = tmp.resolve("o.jsonl");
        assertFails("does not exist", "embed", "--input", tmp.resolve("absent.txt"), "--output", out);
        assertFails("must end in .txt or .jsonl", "embed", "--input", write("data.csv", "a,b\n"), "--output", out);

        Path latin1 = tmp.resolve("latin1.txt");
        byte[] ok = "first line\nsecond line\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = "caf\u00e9 au lait\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(ok, ok.length + bad.length);
        System.arraycopy(bad, 0, all, ok.length, bad.length);
        Files.write(latin1, all);
        assertFails("line 3 is not valid UTF-8", "embed", "--input", latin1, "--output", out);

        assertFails("line 4 is not valid JSON", "embed", "--input",
                write("bad.jsonl", "{\"text\": \"a\"}\n{\"text\": \"b\"}\n\n{\"text\": \"c\"\n{\"text\": \"d\"}\n"), "--output", out);
        assertFails("line 2 has no field 'text'", "embed", "--input",
                write("nofield.jsonl", "{\"text\": \"a\"}\n{\"body\": \"b\"}\n"), "--output", out);
        assertFails("line 1: field 'text' must be a string", "embed", "--input",
                write("num.jsonl", "{\"text\": 5}\n"), "--output", out);
        assertFails("is not a valid gzip file", "embed", "--input", write("fake.txt.gz", "not gzip"), "--output", out);
        Path cut = tmp.resolve("cut.txt.gz");
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(gz)) {
            for (int i = 0; i < 2000; i++) {
                o.write(("line " + i + " with some words to compress " + (i * 7919) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        Files.write(cut, Arrays.copyOf(gz.toByteArray(), gz.size() / 2));
        assertFails("cut.txt.gz: cannot read line", "embed", "--input", cut, "--output", out);
    }

    @Test
    void aFailureKeepsTheOldOutputFile() throws IOException {
        Path out = write("keep.jsonl", "previous results\n");
        Path in = write("late.jsonl", "{\"text\": \"a\"}\n{\"text\": \"b\"}\n{oops}\n");
        assertFails("line 3", "embed", "--input", in, "--output", out);
        assertEquals("previous results\n", new String(Files.readAllBytes(out), StandardCharsets.UTF_8));
    }

    @Test
    void outputThatIsADirectoryIsRefused() throws IOException {
        Path in = write("t.txt", "hello\n");
        Path dir = Files.createDirectories(tmp.resolve("adir"));
        assertFails("is a directory", "embed", "--input", in, "--output", dir);
        assertTrue(Files.isDirectory(dir));
    }

    @Test
    void brokenModelsFailCleanly() throws IOException {
        Path models = Files.createTempDirectory("broken-models");
        Path trunc = BrokenModels.dir(models, "truncated", BrokenModels.truncatedOnnx(1 << 20), null);
        Path tampered = BrokenModels.dir(models, "tampered", BrokenModels.randomBytes(2048), BrokenModels.ZEROS);
        Path missing = BrokenModels.dir(models, "missing", null, null);
        Path in = write("t.txt", "hello\n");
        Path out = tmp.resolve("o.jsonl");
        assertFails(trunc.resolve("model.onnx").toString(), "embed", "--model", trunc, "--input", in, "--output", out);
        assertFails("Checksum mismatch for " + tampered.resolve("model.onnx"), "embed", "--model", tampered, "--input", in,
                "--output", out);
        assertFails(missing.resolve("model.onnx") + " is missing", "embed", "--model", missing, "--input", in, "--output", out);
    }

    @Test
    void usageErrorsExitWith2() throws IOException {
        Result r = run("embed", "--output", tmp.resolve("o.jsonl"));
        assertEquals(2, r.code, r.toString());
        assertTrue(r.err.contains("--input"), r.err);
        for (String cmd : new String[] {"embed", "search", "models"}) {
            r = run(cmd, "--help");
            assertEquals(0, r.code, r.toString());
            assertTrue(r.out.contains("Usage: sdk-cli " + cmd), r.out);
        }
        r = run("frobnicate");
        assertEquals(2, r.code, r.toString());
        r = run("embed", "--input", write("t.txt", "x\n"), "--output", tmp.resolve("o.jsonl"), "--batch-size", "many");
        assertEquals(2, r.code, r.toString());
        assertFalse(Files.exists(tmp.resolve("o.jsonl")));
    }
}
