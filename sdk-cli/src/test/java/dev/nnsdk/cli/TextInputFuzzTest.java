package dev.nnsdk.cli;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nnsdk.InvalidInputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the CLI's text input reader ({@code .txt}, {@code .jsonl}, optionally gzip,
 * whole or truncated): any file gives texts or an {@link InvalidInputException} naming the file; any other
 * exception is a finding.
 */
class TextInputFuzzTest {

    private static Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        dir = Files.createTempDirectory("nnsdk-fuzz-textinput");
    }

    @AfterAll
    static void tearDown() throws IOException {
        dev.nnsdk.io.AtomicDirectory.deleteTree(dir);
    }

    @FuzzTest(maxDuration = "30s")
    void readTexts(FuzzedDataProvider data) throws IOException {
        boolean jsonl = data.consumeBoolean();
        boolean gz = data.consumeBoolean();
        boolean rawGz = data.consumeBoolean();
        int cut = data.consumeInt(0, 64);
        byte[] body = data.consumeRemainingAsBytes();
        if (gz && !rawGz) {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(bos)) {
                z.write(body);
            }
            byte[] zipped = bos.toByteArray();
            body = Arrays.copyOf(zipped, Math.max(0, zipped.length - cut));
        }
        Path file = dir.resolve("input." + (jsonl ? "jsonl" : "txt") + (gz ? ".gz" : ""));
        Files.write(file, body);
        int texts = 0;
        try (TextInput in = new TextInput(file, "text")) {
            String t;
            while ((t = in.next()) != null) {
                texts++;
                assertTrue(in.line() >= texts, "line number " + in.line() + " behind text count " + texts);
                assertTrue(t.indexOf('\n') < 0 || jsonl, "a .txt text spans lines");
            }
        } catch (InvalidInputException expected) {
            assertTrue(expected.getMessage().contains(file.toString()), "error does not name the file: " + expected.getMessage());
            return;
        }
        assertEquals(texts, TextInput.count(file), "count() disagrees with next()");
    }
}
