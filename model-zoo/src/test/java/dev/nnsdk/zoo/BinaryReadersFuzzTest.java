package dev.nnsdk.zoo;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nnsdk.SdkException;
import dev.nnsdk.format.HeadWeights;
import dev.nnsdk.format.RecommenderWeights;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Coverage-guided fuzzing of the SDK's binary readers and of archive extraction (issue 17): any input
 * gives a result or an {@link SdkException} that names the input; nothing else (an
 * {@code OutOfMemoryError}, a {@code NegativeArraySizeException}, a file outside the target) is
 * allowed. {@code mvn verify} replays the committed inputs in {@code BinaryReadersFuzzTestInputs/<method>/}
 * ({@code make_binary_seeds.py} wrote the seeds); {@code JAZZER_FUZZ=1} fuzzes (docs/reliability.md).
 */
class BinaryReadersFuzzTest {

    private static Path root;

    @BeforeAll
    static void setUp() throws IOException {
        root = Files.createTempDirectory("nnsdk-fuzz-binary");
    }

    @AfterAll
    static void tearDown() throws IOException {
        dev.nnsdk.io.AtomicDirectory.deleteTree(root);
    }

    private static void named(SdkException e, String where) {
        if (e.getMessage() == null || !e.getMessage().contains(where)) {
            throw new AssertionError("error does not name " + where + ": " + e.getMessage(), e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void readHead(byte[] bytes) {
        try {
            HeadWeights h = HeadWeights.read(bytes, "head.bin");
            if (h.numClasses() < 1) {
                throw new AssertionError("a head without outputs");
            }
        } catch (SdkException e) {
            named(e, "head.bin");
        }
    }

    @FuzzTest(maxDuration = "60s")
    void readRecommender(byte[] bytes) {
        try {
            RecommenderWeights.read(new ByteArrayInputStream(bytes), bytes.length, "recommender.bin");
        } catch (SdkException e) {
            named(e, "recommender.bin");
        }
    }

    @FuzzTest(maxDuration = "60s")
    void extractArchive(byte[] bytes) throws IOException {
        boolean zip = bytes.length > 0 && (bytes[0] & 1) == 0;
        Path archive = root.resolve(zip ? "a.zip" : "a.tar.gz");
        Files.write(archive, bytes.length > 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes);
        Path target = root.resolve("out").resolve("a");
        try {
            ArchiveExtractor.extract(archive, target, archive.getFileName().toString());
        } catch (SdkException e) {
            named(e, archive.getFileName().toString());
            if (Files.exists(target)) {
                throw new AssertionError("a refused archive left " + target);
            }
        }
        try (Stream<Path> s = Files.list(root)) {
            s.forEach(p -> {
                String n = p.getFileName().toString();
                if (!n.equals("out") && !n.equals(archive.getFileName().toString())) {
                    throw new AssertionError("extraction wrote outside its target: " + p);
                }
            });
        }
        dev.nnsdk.io.AtomicDirectory.deleteTree(root.resolve("out"));
        Files.delete(archive);
    }
}
