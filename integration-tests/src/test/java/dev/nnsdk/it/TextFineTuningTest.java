package dev.nnsdk.it;

import dev.nnsdk.engine.Engines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.inference.Classification;
import dev.nnsdk.inference.TextClassifier;
import dev.nnsdk.SdkSettings;

import dev.nnsdk.training.FineTuning;
import dev.nnsdk.training.TrainedTextClassifier;
import dev.nnsdk.training.config.TrainingConfig;
import dev.nnsdk.training.data.Datasets;
import dev.nnsdk.training.data.TextDataset;
import dev.nnsdk.training.head.Head;
import dev.nnsdk.training.listener.EpochResult;
import dev.nnsdk.training.listener.TrainingListener;
import dev.nnsdk.training.metrics.ClassificationMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import dev.nnsdk.inference.TextEmbedder;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.repository.Artifact;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;
import dev.nnsdk.repository.TextSpec;
import dev.nnsdk.training.io.OnnxExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Text fine-tuning end to end on real IMDB reviews and the real all-MiniLM-L6-v2 backbone: a seeded
 * stratified sample of 400 train / 200 test reviews (the full 4,000 / 2,000 figure is in
 * docs/finetuning.md). Features are cached, so the backbone runs once per review for all tests.
 */
class TextFineTuningTest {
    static final int TRAIN = 400;
    static final int TEST = 200;
    /**
     * 400 training reviews give 0.74-0.78 test accuracy depending on the order the seeded sample presents them to SGD
     * (0.74 since the sample is shuffled rather than grouped by label); chance is 0.5. The bar catches a broken
     * trainer; the accuracy claim (4,000 / 2,000 reviews) is measured in docs/finetuning.md.
     */
    static final double MIN_ACCURACY = 0.72;

    static TextDataset train;
    static TextDataset test;
    /** One backbone per engine for all tests (loading it is the slow part). */
    static final java.util.Map<String, TextEmbedder> BACKBONES = new java.util.HashMap<String, TextEmbedder>();

    static synchronized TextEmbedder backbone(String engine) {
        TextEmbedder e = BACKBONES.get(engine);
        if (e == null) {
            e = TextEmbedder.load("all-minilm-l6-v2", ModelOptions.builder().optEngine(engine).build());
            BACKBONES.put(engine, e);
        }
        return e;
    }

    @AfterAll
    static void closeBackbones() {
        for (TextEmbedder e : BACKBONES.values()) {
            e.close();
        }
        BACKBONES.clear();
    }

    @BeforeAll
    static synchronized void sample() {
        if (train != null) {
            return;
        }
        Path imdb = FineTuningAssets.require("datasets/imdb/reviews.jsonl.gz");
        TextDataset all = Datasets.read(imdb);
        TextDataset s = all.stratifiedSample(TRAIN + TEST, 7);
        TextDataset.Split split = s.stratifiedSplit(TEST / (double) (TRAIN + TEST), 8);
        train = split.train();
        test = split.validation();
        assertEquals(TRAIN, train.size());
        assertEquals(TEST, test.size());
    }

    static TrainedTextClassifier fit(String engine, Head head, TrainingConfig cfg, Path checkpoints, boolean resume,
                                     TrainingListener listener) {
        dev.nnsdk.training.TextClassificationTrainer t = FineTuning.textClassification()
                .backbone(backbone(engine))
                .train(train).validation(0.1).head(head).config(cfg)
                .checkpointDir(checkpoints).resume(resume);
        if (listener != null) {
            t.listener(listener);
        }
        return t.fit();
    }

    /**
     * The merged ONNX export is a first-class model (issue 15 item 6): TextClassifier.load(file) runs it on ONNX Runtime
     * alone through the descriptor and tokenizer written beside it, and gives the saved model's probabilities within
     * 1e-5 and the same label on the whole test set. A second export to the same file is refused unless overwrite.
     */
    static void exportedOnnxMatchesSavedModel(Path dir, Path onnx) throws Exception {
        OnnxExporter.export(dir, onnx);
        assertTrue(java.nio.file.Files.isRegularFile(OnnxExporter.companion(onnx, OnnxExporter.DESCRIPTOR_SUFFIX)));
        assertTrue(java.nio.file.Files.isRegularFile(OnnxExporter.companion(onnx, OnnxExporter.TOKENIZER_SUFFIX)));
        dev.nnsdk.InvalidInputException again = org.junit.jupiter.api.Assertions.assertThrows(
                dev.nnsdk.InvalidInputException.class, () -> OnnxExporter.export(dir, onnx));
        assertTrue(again.getMessage().contains("already exists"), again.getMessage());
        OnnxExporter.export(dir, onnx, true);
        List<float[]> expected;
        try (TextClassifier loaded = TextClassifier.load(dir)) {
            expected = loaded.probabilities(test.texts());
        }
        List<float[]> actual;
        try (TextClassifier exported = TextClassifier.load(onnx, ModelOptions.builder().optEngine("onnx").build())) {
            assertEquals(ModelRepository.resolve(dir).head().labels(), exported.labels());
            actual = exported.probabilities(test.texts());
        }
        int sameLabel = 0;
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), 1e-5f, "probabilities of test text " + i);
            if (dev.nnsdk.format.HeadWeights.argmax(expected.get(i)) == dev.nnsdk.format.HeadWeights.argmax(actual.get(i))) {
                sameLabel++;
            }
        }
        assertEquals(expected.size(), sameLabel, "same label on the whole test set");
    }

    static TrainingConfig config(int epochs) {
        // The mini-batch epoch solver (the linear head's default is L-BFGS): history, checkpoints and resume are its.
        return TrainingConfig.builder().epochs(epochs).learningRate(0.05).seed(42).optSolver("sgd").build();
    }

    @Test
    void linearHeadOnOnnxBackboneLearnsSentimentAndReloadsIdentically(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sentiment");
        float[][] before;
        ClassificationMetrics m;
        try (TrainedTextClassifier clf = fit("onnx", Head.linear(), config(30), null, false, null)) {
            m = clf.evaluate(test);
            assertTrue(m.accuracy() >= MIN_ACCURACY, "test accuracy " + m);
            assertEquals(30, clf.history().size());
            clf.save(dir);
            before = clf.probabilities(test.texts().subList(0, 20)).toArray(new float[0][]);
            List<float[]> cached = clf.features(test.texts().subList(0, 20));
            for (int i = 0; i < 20; i++) {
                assertArrayEquals(before[i], clf.head().probabilities(cached.get(i)), "cached features give the same probabilities");
            }
        }
        for (String f : new String[] {"model.json", "head.bin", "labels.txt", "training.json", "metrics.json",
                "history.csv", "loss.png", "accuracy.png"}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        assertEquals(31, Files.readAllLines(dir.resolve("history.csv")).size());
        JsonNode info = new ObjectMapper().readTree(dir.resolve("training.json").toFile());
        assertEquals(42, info.at("/provenance/seed").asInt());
        assertEquals(train.stratifiedSplit(0.1, 42).train().sha256(), info.at("/provenance/trainSha256").asText());
        try (TextClassifier loaded = TextClassifier.load(dir)) {
            assertEquals(train.labels(), loaded.labels());
            List<float[]> after = loaded.probabilities(test.texts().subList(0, 20));
            for (int i = 0; i < before.length; i++) {
                assertArrayEquals(before[i], after.get(i), "probabilities of text " + i + " after reload");
            }
            List<Classification> top = loaded.classify("An absolute masterpiece, moving and beautifully acted.", 2);
            assertEquals("positive", top.get(0).label());
            assertEquals(2, top.size());
            assertEquals(1.0, top.get(0).score() + top.get(1).score(), 1e-5);
        }
        exportedOnnxMatchesSavedModel(dir, tmp.resolve("sentiment.onnx"));
        assertThrows(dev.nnsdk.InvalidInputException.class, () -> {
            try (TrainedTextClassifier clf = fit("onnx", Head.linear(), config(1), null, false, null)) {
                clf.save(dir);
            }
        }, "an existing output directory is refused");
    }

    @Test
    void sameSeedGivesIdenticalWeightsAndMetrics() {
        TrainingConfig cfg = TrainingConfig.builder().epochs(3).learningRate(0.005).seed(5).build();
        try (TrainedTextClassifier a = fit("onnx", Head.mlp(32).dropout(0.2), cfg, null, false, null);
             TrainedTextClassifier b = fit("onnx", Head.mlp(32).dropout(0.2), cfg, null, false, null)) {
            for (int k = 0; k < a.head().layers(); k++) {
                assertArrayEquals(a.head().weights(k), b.head().weights(k));
                assertArrayEquals(a.head().bias(k), b.head().bias(k));
            }
            assertEquals(a.validationMetrics().toMap(), b.validationMetrics().toMap());
        }
    }

    @Test
    void resumeAfterInterruptionEndsLikeAnUninterruptedRun(@TempDir Path tmp) {
        TrainingConfig cfg = TrainingConfig.builder().epochs(4).learningRate(0.005).seed(9).build();
        Path ckpt = tmp.resolve("ckpt");
        TrainingListener kill = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochResult r) {
                if (r.epoch() == 2) {
                    throw new IllegalStateException("simulated crash after epoch 2");
                }
            }
        };
        assertThrows(IllegalStateException.class, () -> fit("onnx", Head.mlp(16).dropout(0.3), cfg, ckpt, false, kill));
        assertTrue(Files.exists(ckpt.resolve("checkpoint.json")));
        try (TrainedTextClassifier straight = fit("onnx", Head.mlp(16).dropout(0.3), cfg, null, false, null);
             TrainedTextClassifier resumed = fit("onnx", Head.mlp(16).dropout(0.3), cfg, ckpt, true, null)) {
            assertEquals(4, resumed.history().size());
            for (int k = 0; k < straight.head().layers(); k++) {
                assertArrayEquals(straight.head().weights(k), resumed.head().weights(k));
            }
            assertEquals(straight.validationMetrics().toMap(), resumed.validationMetrics().toMap());
        }
    }

    /** Runs once the DJL engine (sdk-djl) registers engine "djl": both backbone engines reach the bar within 1 point. */
    @Test
    void djlBackboneMatchesOnnxBackbone() {
        boolean djl = false;
        for (dev.nnsdk.engine.Engine e : Engines.all()) {
            djl |= e.name().equals("djl");
        }
        assumeTrue(djl, "engine 'djl' is not on the class path yet (sdk-djl)");
        dev.nnsdk.djl.DjlSystemProperties.apply();
        double onnx;
        double torch;
        try (TrainedTextClassifier clf = fit("onnx", Head.linear(), config(30), null, false, null)) {
            onnx = clf.evaluate(test).accuracy();
        }
        try (TrainedTextClassifier clf = fit("djl", Head.linear(), config(30), null, false, null)) {
            torch = clf.evaluate(test).accuracy();
        }
        assertTrue(torch >= MIN_ACCURACY, "djl test accuracy " + torch);
        assertEquals(onnx, torch, 0.01, "onnx vs djl backbone test accuracy");
    }
}
