package dev.nnsdk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.inference.TextClassifier;
import dev.nnsdk.training.Evaluation;
import dev.nnsdk.training.FineTuning;
import dev.nnsdk.training.TrainedTextClassifier;
import dev.nnsdk.training.config.TrainingConfig;
import dev.nnsdk.training.data.TextDataset;
import dev.nnsdk.training.head.Head;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13, frozen heads: the default head ({@code Head.auto()}: the tuned linear head and a seeded MLP search) on
 * real IMDB reviews and the real MiniLM backbone (the 400 / 200 reviews of {@link TextFineTuningTest}). It keeps the
 * candidate with the lowest validation log-loss of those it lists in training.json, is no worse than the tuned linear
 * head on the validation split (log-loss computed here from the saved models' probabilities), saves the kept head
 * as what it is (model.json, training.json) and exports to ONNX faithfully. The full-size figures (IMDB 4,000 / 2,000,
 * Fashion-MNIST 10,000 / 2,000) are benchmarks in docs/finetuning.md.
 */
class DefaultHeadTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void data() {
        if (TextFineTuningTest.train == null) {
            TextFineTuningTest.sample();
        }
    }

    /** The run's own validation split: the trainer's seeded stratified 10% of the training data (seed 42). */
    private static TextDataset validation() {
        return TextFineTuningTest.train.stratifiedSplit(0.1, 42).validation();
    }

    private static double logLoss(Path model, TextDataset data) {
        try (TextClassifier c = TextClassifier.load(model, ModelOptions.builder().optEngine("onnx").build())) {
            List<String> labels = c.labels();
            List<float[]> p = c.probabilities(data.texts());
            double sum = 0;
            for (int i = 0; i < p.size(); i++) {
                sum -= Math.log(Math.max(p.get(i)[labels.indexOf(data.examples().get(i).label())], 1e-12));
            }
            return sum / p.size();
        }
    }

    @Test
    void theDefaultHeadPicksByValidationAndIsNoWorseThanTheLinearHead(@TempDir Path tmp) throws Exception {
        Path auto = tmp.resolve("auto");
        try (TrainedTextClassifier c = FineTuning.textClassification()
                .setBackbone(TextFineTuningTest.backbone("onnx"))
                .setTrainingData(TextFineTuningTest.train)
                .fit()) {                                             // no head, no config: the defaults
            c.save(auto);
        }
        Path linear = tmp.resolve("linear");
        try (TrainedTextClassifier c = TextFineTuningTest.fit("onnx", Head.linear(), TrainingConfig.defaults(), null,
                false, null)) {
            c.save(linear);
        }
        JsonNode info = JSON.readTree(auto.resolve("training.json").toFile());
        JsonNode fit = info.get("fit");
        assertEquals("auto", fit.get("head").asText(), fit.toString());
        JsonNode chosen = fit.get("chosen");
        String kept = chosen.get("head").asText();
        assertEquals(kept, info.get("head").get("type").asText(), "training.json names the kept head");
        assertEquals(kept, JSON.readTree(auto.resolve("model.json").toFile()).get("head").get("type").asText(),
                "model.json names the kept head");

        // Every candidate is recorded; the kept one has the lowest validation log-loss, up to the 0.5% a more complex
        // head must gain, and the linear candidates are exactly the L2 search of the linear head.
        double best = Double.POSITIVE_INFINITY;
        int mlps = 0;
        int linears = 0;
        for (JsonNode t : fit.get("tried")) {
            best = Math.min(best, t.get("validLoss").asDouble());
            if ("mlp".equals(t.get("head").asText())) {
                mlps++;
                assertTrue(t.get("bestEpochs").size() >= 1 && t.has("hidden") && t.has("dropout"), t.toString());
            } else {
                linears++;
            }
        }
        assertTrue(mlps >= 1 && linears >= 1, "the linear head and at least one MLP were tried: " + fit);
        assertEquals(JSON.readTree(linear.resolve("training.json").toFile()).get("fit").get("tried").size(), linears,
                "the same L2 search as the linear head");
        double keptLoss = chosen.get("validLoss").asDouble();
        assertTrue(keptLoss <= best / (1 - 0.005) + 1e-6, "kept " + chosen + " of " + fit.get("tried"));

        // The kept head was then refitted on training + validation examples (HeadSearch.refit(), on by default).
        JsonNode refit = fit.get("refit");
        assertTrue(refit != null && refit.get("examples").asInt() == TextFineTuningTest.train.size(),
                "refitted on all " + TextFineTuningTest.train.size() + " examples: " + fit);

        // Without the refit, independently of what the run recorded: the saved model's own validation log-loss is the
        // recorded one, and no higher than the tuned linear head's.
        Path noRefit = tmp.resolve("no-refit");
        try (TrainedTextClassifier c = FineTuning.textClassification()
                .setBackbone(TextFineTuningTest.backbone("onnx"))
                .setTrainingData(TextFineTuningTest.train)
                .optConfig(TrainingConfig.builder()
                        .optHeadSearch(dev.nnsdk.training.config.HeadSearch.builder().optRefit(false).build()).build())
                .fit()) {
            c.save(noRefit);
        }
        JsonNode fitNoRefit = JSON.readTree(noRefit.resolve("training.json").toFile()).get("fit");
        assertTrue(fitNoRefit.get("refit") == null, fitNoRefit.toString());
        assertEquals(chosen.toString(), fitNoRefit.get("chosen").toString(), "the same selection with or without refit");
        TextDataset valid = validation();
        double autoLoss = logLoss(noRefit, valid);
        double linearLoss = logLoss(linear, valid);
        assertEquals(keptLoss, autoLoss, 1e-4, "the recorded validation loss is the saved model's");
        assertTrue(autoLoss <= linearLoss + 1e-6, "default " + autoLoss + " vs tuned linear " + linearLoss);

        double testAccuracy = Evaluation.evaluate(auto, TextFineTuningTest.test,
                ModelOptions.builder().optEngine("onnx").build()).accuracy();
        System.out.printf("default head: kept %s, validation loss %.4f (tuned linear %.4f), test accuracy %.3f%n", kept,
                autoLoss, linearLoss, testAccuracy);
        assertTrue(testAccuracy >= TextFineTuningTest.MIN_ACCURACY, "test accuracy " + testAccuracy);

        // The kept head exports to one ONNX model agreeing with the saved directory on every test review.
        TextFineTuningTest.exportedOnnxMatchesSavedModel(auto, tmp.resolve("auto.onnx"));
        if (!"mlp".equals(kept)) {
            // What the default keeps when an MLP wins (an averaged MLP is an MLP head): export one of those too.
            Path mlp = tmp.resolve("mlp");
            try (TrainedTextClassifier c = TextFineTuningTest.fit("onnx", Head.mlp(64).dropout(0.5),
                    TrainingConfig.builder().optEpochs(5).optLearningRate(1e-3).build(), null, false, null)) {
                c.save(mlp);
            }
            TextFineTuningTest.exportedOnnxMatchesSavedModel(mlp, tmp.resolve("mlp.onnx"));
        }
    }
}
