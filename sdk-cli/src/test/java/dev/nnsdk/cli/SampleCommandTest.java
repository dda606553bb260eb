package dev.nnsdk.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 item 8: {@code sample} on a file sorted by label (as the IMDB file is) writes train and test files whose
 * labels are mixed, not grouped by label, with the label shares kept, no overlap, and the same files for the same seed.
 * Needs no model.
 */
class SampleCommandTest {

    static List<String> labels(Path jsonl) throws IOException {
        List<String> out = new ArrayList<String>();
        for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
            out.add(line.replaceAll(".*\"label\":\"([^\"]*)\".*", "$1"));
        }
        return out;
    }

    static int labelChanges(List<String> labels) {
        int n = 0;
        for (int i = 1; i < labels.size(); i++) {
            if (!labels.get(i).equals(labels.get(i - 1))) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aSampleOfASortedFileIsMixedStratifiedAndSeeded(@TempDir Path tmp) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            sb.append("{\"text\":\"review ").append(i).append("\",\"label\":\"").append(i < 150 ? "neg" : "pos").append("\"}\n");
        }
        Path in = Files.write(tmp.resolve("sorted.jsonl"), sb.toString().getBytes(StandardCharsets.UTF_8));
        Path train = tmp.resolve("train.jsonl");
        Path test = tmp.resolve("test.jsonl");
        CliContractTest.Result r = CliContractTest.run("sample", "--input", in.toString(), "--train-size", "60",
                "--test-size", "40", "--train-output", train.toString(), "--test-output", test.toString());
        assertEquals(0, r.code, r.toString());
        List<String> trainLabels = labels(train);
        List<String> testLabels = labels(test);
        assertEquals(60, trainLabels.size());
        assertEquals(40, testLabels.size());
        assertEquals(30, trainLabels.stream().filter("neg"::equals).count(), "label shares kept: " + trainLabels);
        assertEquals(20, testLabels.stream().filter("neg"::equals).count(), "label shares kept: " + testLabels);
        // Grouped by label would be 1 change; a shuffled order of 60 has about 30.
        assertTrue(labelChanges(trainLabels) >= 10, "train labels grouped: " + trainLabels);
        assertTrue(labelChanges(testLabels) >= 6, "test labels grouped: " + testLabels);
        Set<String> overlap = new HashSet<String>(Files.readAllLines(train));
        overlap.retainAll(Files.readAllLines(test));
        assertTrue(overlap.isEmpty(), "train and test share " + overlap);

        Path train2 = tmp.resolve("train2.jsonl");
        Path test2 = tmp.resolve("test2.jsonl");
        r = CliContractTest.run("sample", "--input", in.toString(), "--train-size", "60", "--test-size", "40",
                "--train-output", train2.toString(), "--test-output", test2.toString());
        assertEquals(0, r.code, r.toString());
        assertEquals(Files.readAllLines(train), Files.readAllLines(train2), "same seed, same train file");
        assertEquals(Files.readAllLines(test), Files.readAllLines(test2), "same seed, same test file");
    }
}
