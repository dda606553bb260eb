package dev.nnsdk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.InvalidInputException;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.inference.TextClassifier;
import dev.nnsdk.inference.TextEmbedder;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;
import dev.nnsdk.training.FineTuning;
import dev.nnsdk.training.TrainedTextClassifier;
import dev.nnsdk.training.config.TrainingConfig;
import dev.nnsdk.training.data.Datasets;
import dev.nnsdk.training.data.TextDataset;
import dev.nnsdk.training.head.Head;
import dev.nnsdk.training.io.OnnxExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code text.windows}: a text longer than the backbone's 256 word pieces is embedded as the mean of its consecutive
 * windows (each a text of its own, with [CLS]/[SEP]); the setting travels with a fine-tuned head's saved model and its
 * one-file ONNX export (rows are windows, {@code window_text} says whose, the graph averages them before the head).
 */
class WindowsTest {

    static TextEmbedder truncating;

    @BeforeAll
    static void load() {
        truncating = TextEmbedder.load("all-minilm-l6-v2");
    }

    @AfterAll
    static void close() {
        truncating.close();
    }

    static TextEmbedder windowed(int windows) {
        ModelDescriptor d = ModelRepository.resolve("all-minilm-l6-v2");
        return TextEmbedder.load(d.withText(d.text().toBuilder().optWindows(windows).build()), ModelOptions.defaults());
    }

    static float[] normalizedMean(List<float[]> vs) {
        float[] m = new float[vs.get(0).length];
        for (float[] v : vs) {
            for (int j = 0; j < m.length; j++) {
                m[j] += v[j] / vs.size();
            }
        }
        double n = TestTexts.norm(m);
        for (int j = 0; j < m.length; j++) {
            m[j] /= n;
        }
        return m;
    }

    @Test
    void longTextIsTheMeanOfItsWindowsAndShortTextIsUnchanged() {
        List<String> w = TruncationTest.words(600);   // one word piece each: windows of 254 + 254 + 92 pieces
        String text = String.join(" ", w);
        List<String> windows = Arrays.asList(String.join(" ", w.subList(0, 254)), String.join(" ", w.subList(254, 508)),
                String.join(" ", w.subList(508, 600)));
        float[] expected = normalizedMean(truncating.embedAll(windows));
        float[] twoOnly = normalizedMean(truncating.embedAll(windows.subList(0, 2)));
        String shortText = String.join(" ", w.subList(0, 100));
        try (TextEmbedder four = windowed(4); TextEmbedder two = windowed(2)) {
            float[] got = four.embed(text);
            assertTrue(TestTexts.maxAbsDiff(expected, got) < 1e-5, "max abs diff " + TestTexts.maxAbsDiff(expected, got));
            assertTrue(TestTexts.maxAbsDiff(truncating.embed(text), got) > 1e-3, "differs from the truncated vector");
            float[] capped = two.embed(text);
            assertTrue(TestTexts.maxAbsDiff(twoOnly, capped) < 1e-5, "at most 2 windows: " + TestTexts.maxAbsDiff(twoOnly, capped));
            List<float[]> batch = four.embedAll(Arrays.asList(shortText, text, ""));
            assertArrayEquals(truncating.embed(shortText), batch.get(0), 1e-6f, "a text of one window is unchanged");
            assertTrue(TestTexts.maxAbsDiff(expected, batch.get(1)) < 1e-5, "the same in a batch");
            assertArrayEquals(truncating.embed(""), batch.get(2), 1e-6f);
        }
    }

    @Test
    void savedHeadKeepsItsWindowsAndExportsToOneOnnxFileThatAgrees(@TempDir Path tmp) throws Exception {
        TextDataset all = Datasets.read(FineTuningAssets.require("datasets/imdb/reviews.jsonl.gz"));
        TextDataset.Split split = all.stratifiedSample(160, 11).stratifiedSplit(0.25, 12);
        Path dir = tmp.resolve("windowed");
        List<String> reviews = new ArrayList<String>();
        for (int i = 0; i < split.validation().size(); i++) {
            reviews.add(split.validation().examples().get(i).text());
        }
        List<float[]> before;
        try (TrainedTextClassifier clf = FineTuning.textClassification().backbone("all-minilm-l6-v2", ModelOptions.defaults())
                .train(split.train()).validation(0.25).head(Head.linear())
                .config(TrainingConfig.builder().optSeed(3).build()).optWindows(3).fit()) {
            clf.save(dir, false);
            before = clf.probabilities(reviews);
        }
        JsonNode json = new ObjectMapper().readTree(dir.resolve("model.json").toFile());
        assertEquals(3, json.path("text").path("windows").asInt(), json.toString());
        try (TextClassifier loaded = TextClassifier.load(dir)) {
            List<float[]> after = loaded.probabilities(reviews);
            for (int i = 0; i < reviews.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i), 1e-5f, "review " + i);
            }
        }
        // One ONNX file: rows are windows, window_text says whose; the graph averages them before the head.
        Path onnx = tmp.resolve("m.onnx");
        OnnxExporter.export(dir, onnx);
        JsonNode exported = new ObjectMapper().readTree(OnnxExporter.companion(onnx, OnnxExporter.DESCRIPTOR_SUFFIX).toFile());
        assertEquals(3, exported.path("text").path("windows").asInt(), exported.toString());
        assertTrue(exported.path("inputs").toString().contains(OnnxExporter.WINDOW_TEXT), exported.toString());
        int longReviews = 0;
        for (String r : reviews) {
            longReviews += r.split("\\s+").length > 400 ? 1 : 0;    // > 400 words: at least two windows of 256 pieces
        }
        assertTrue(longReviews >= 2, "the check needs long reviews: " + longReviews);
        try (TextClassifier ort = TextClassifier.load(onnx, ModelOptions.builder().optEngine("onnx").build())) {
            List<float[]> got = ort.probabilities(reviews);
            double worst = 0;
            for (int i = 0; i < reviews.size(); i++) {
                worst = Math.max(worst, TestTexts.maxAbsDiff(before.get(i), got.get(i)));
            }
            System.out.printf("windowed export vs saved model: %d reviews (%d of > 400 words), max |dp| %.2e%n",
                    reviews.size(), longReviews, worst);
            assertTrue(worst <= 1e-4, "max |dp| " + worst);
            assertArrayEquals(got.get(0), ort.probabilities(Arrays.asList(reviews.get(0))).get(0), 1e-6f,
                    "a review alone gets what it gets in a batch");
        }
        // evaluate takes the exported file as it takes the directory (the file computes its probabilities itself)
        double dirAccuracy = dev.nnsdk.training.Evaluation.evaluate(dir, split.validation(), ModelOptions.defaults())
                .accuracy();
        double fileAccuracy = dev.nnsdk.training.Evaluation.evaluate(onnx, split.validation(),
                ModelOptions.builder().optEngine("onnx").build()).accuracy();
        assertEquals(dirAccuracy, fileAccuracy, 1e-9, "same labels, same accuracy");
        // Not set, windows default to TextClassificationTrainer.DEFAULT_WINDOWS on these long reviews.
        Path auto = tmp.resolve("auto");
        try (TrainedTextClassifier clf = FineTuning.textClassification().backbone("all-minilm-l6-v2", ModelOptions.defaults())
                .train(split.train()).validation(0.25).head(Head.linear())
                .config(TrainingConfig.builder().optSeed(3).build()).fit()) {
            clf.save(auto, false);
        }
        assertEquals(dev.nnsdk.training.TextClassificationTrainer.DEFAULT_WINDOWS,
                new ObjectMapper().readTree(auto.resolve("model.json").toFile()).path("text").path("windows").asInt());
        assertEquals(dev.nnsdk.training.TextClassificationTrainer.DEFAULT_WINDOWS,
                new ObjectMapper().readTree(auto.resolve("training.json").toFile()).path("windows").asInt());
        // A truncating model's file described as windowed (no window_text input) would average probabilities: refused.
        Path plain = tmp.resolve("plain");
        try (TrainedTextClassifier clf = FineTuning.textClassification().backbone("all-minilm-l6-v2", ModelOptions.defaults())
                .train(split.train()).validation(0.25).head(Head.linear())
                .config(TrainingConfig.builder().optSeed(3).build()).optWindows(0).fit()) {
            clf.save(plain, false);
        }
        assertTrue(new ObjectMapper().readTree(plain.resolve("model.json").toFile()).path("text").path("windows")
                .asInt(0) == 0, "optWindows(0) truncates");
        Path plainOnnx = tmp.resolve("plain.onnx");
        OnnxExporter.export(plain, plainOnnx);
        Path pj = OnnxExporter.companion(plainOnnx, OnnxExporter.DESCRIPTOR_SUFFIX);
        com.fasterxml.jackson.databind.node.ObjectNode edited = (com.fasterxml.jackson.databind.node.ObjectNode)
                new ObjectMapper().readTree(pj.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) edited.get("text")).put("windows", 3);
        new ObjectMapper().writeValue(pj.toFile(), edited);
        dev.nnsdk.ModelLoadException e = assertThrows(dev.nnsdk.ModelLoadException.class,
                () -> TextClassifier.load(plainOnnx, ModelOptions.builder().optEngine("onnx").build()).close());
        assertTrue(e.getMessage().contains(OnnxExporter.WINDOW_TEXT) && e.getMessage().contains("windows"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> FineTuning.textClassification().optWindows(1));
    }
}
