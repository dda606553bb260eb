package dev.nnsdk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.EngineException;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.inference.TextClassifier;
import dev.nnsdk.io.Checksums;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;
import dev.nnsdk.training.data.Datasets;
import dev.nnsdk.training.data.TextDataset;
import dev.nnsdk.training.data.TextExample;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backbone training end to end at CI size (issue 13): real IMDB reviews, the zoo's MiniLM TorchScript from the shared
 * assets, the last layer + head trained for one epoch at 64 word pieces, through the CLI's documented commands
 * ({@code finetune --train-backbone}, {@code evaluate}, {@code predict}, {@code export-onnx}); the exported ONNX file
 * runs on ONNX Runtime alone and agrees with the saved model on djl. The full-size run (4,000 / 2,000 reviews) is a
 * benchmark in docs/finetuning.md.
 */
class BackboneFineTuningTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static TextDataset train;
    static TextDataset valid;
    static TextDataset test;

    @BeforeAll
    static void sample() {
        FineTuningAssets.require("models/minilm-l6-v2/model.torchscript.pt");
        TextDataset all = Datasets.read(FineTuningAssets.require("datasets/imdb/reviews.jsonl.gz"));
        TextDataset s = all.stratifiedSample(460, 21);
        TextDataset.Split a = s.stratifiedSplit(100 / 460.0, 22);
        test = a.validation();
        TextDataset.Split b = a.train().stratifiedSplit(60 / 360.0, 23);
        train = b.train();
        valid = b.validation();
        assertEquals(300, train.size());
        assertEquals(60, valid.size());
        assertEquals(100, test.size());
    }

    static Path jsonl(Path file, List<TextExample> examples) throws IOException {
        return FineTuningCliTest.jsonl(file, examples);
    }

    @Test
    void lastLayerTrainsSavesEvaluatesAndExportsToOnnxThatAgrees(@TempDir Path tmp) throws Exception {
        Path trainFile = jsonl(tmp.resolve("train.jsonl"), train.examples());
        Path validFile = jsonl(tmp.resolve("valid.jsonl"), valid.examples());
        Path testFile = jsonl(tmp.resolve("test.jsonl"), test.examples());
        Path model = tmp.resolve("model");
        long t0 = System.nanoTime();
        FineTuningCliTest.Run r = FineTuningCliTest.cli("finetune", "--task", "text-classification", "--engine", "djl",
                "--train", trainFile.toString(), "--valid", validFile.toString(), "--output", model.toString(),
                "--train-backbone", "last:1", "--max-length", "64", "--epochs", "1", "--batch-size", "16",
                "--micro-batch", "8", "--backbone-lr", "2e-4", "--head-lr", "1e-3", "--seed", "42", "--quiet");
        System.out.printf("finetune --train-backbone last:1 (300 reviews, 64 word pieces, 1 epoch): %.1f s%n",
                (System.nanoTime() - t0) / 1e9);
        assertEquals(0, r.code, r.err);
        JsonNode metrics = JSON.readTree(r.lastLine());
        assertEquals(60, metrics.get("examples").asInt());

        // The saved directory: trained module + tokenizer + head, checksummed; provenance says what was trained.
        for (String f : new String[] {"backbone.pt", "tokenizer.json", "head.bin", "model.json", "training.json", "history.csv"}) {
            assertTrue(Files.isRegularFile(model.resolve(f)), f);
        }
        JsonNode mj = JSON.readTree(model.resolve("model.json").toFile());
        assertEquals(Checksums.sha256(model.resolve("backbone.pt")), mj.at("/artifacts/torchscript/sha256").asText());
        assertFalse(mj.path("artifacts").has("onnx"), "the untrained ONNX backbone must not be offered for this model");
        assertEquals(64, mj.at("/text/maxLength").asInt());
        assertEquals("last:1", mj.at("/provenance/trainedBackbone/layers").asText());
        JsonNode tj = JSON.readTree(model.resolve("training.json").toFile());
        JsonNode bt = tj.get("backboneTraining");
        assertEquals("last:1", bt.get("layers").asText());
        boolean layer5 = false;
        for (JsonNode l : bt.get("trainedLayers")) {
            assertTrue(l.asText().matches("(.*\\.)?layers?\\.5|pooler"), "only the last layer trains: " + bt.get("trainedLayers"));
            layer5 |= l.asText().endsWith(".5");
        }
        assertTrue(layer5, bt.get("trainedLayers").toString());
        assertEquals(19, bt.get("steps").asInt(), "300 reviews in batches of 16");
        assertEquals(2e-4, bt.get("backboneLearningRate").asDouble(), 0);
        assertEquals(1e-3, bt.get("headLearningRate").asDouble(), 0);
        assertEquals(train.sha256(), tj.at("/provenance/trainSha256").asText());

        // The loss falls: the fine-tuned model's training loss is below the linear probe's on the frozen backbone.
        ModelOptions djl = ModelOptions.builder().optEngine("djl").build();
        double probeLoss = bt.at("/probe/trainLoss").asDouble();
        double trainedLoss;
        List<float[]> djlProbs;
        try (TextClassifier c = TextClassifier.load(model, djl)) {
            trainedLoss = meanLoss(c.probabilities(train.texts()), train, c.labels());
            djlProbs = c.probabilities(test.texts());
        }
        System.out.printf("training loss: linear probe %.4f -> fine-tuned %.4f%n", probeLoss, trainedLoss);
        assertTrue(trainedLoss < probeLoss - 0.01, "training loss " + probeLoss + " -> " + trainedLoss);

        // evaluate and predict work on the saved directory (djl).
        r = FineTuningCliTest.cli("evaluate", "--model", model.toString(), "--data", testFile.toString(), "--engine", "djl");
        assertEquals(0, r.code, r.err);
        double accuracy = JSON.readTree(r.lastLine()).get("accuracy").asDouble();
        System.out.printf("test accuracy after backbone training (100 reviews): %.3f%n", accuracy);
        assertTrue(accuracy >= 0.65, "test accuracy " + accuracy);
        Path labels = tmp.resolve("labels.jsonl");
        r = FineTuningCliTest.cli("predict", "--model", model.toString(), "--input", testFile.toString(), "--output",
                labels.toString(), "--engine", "djl");
        assertEquals(0, r.code, r.err);
        assertEquals(100, Files.readAllLines(labels, StandardCharsets.UTF_8).size());

        // On ONNX Runtime the directory says what to do instead of running the untrained ONNX backbone.
        EngineException e = assertThrows(EngineException.class,
                () -> TextClassifier.load(model, ModelOptions.builder().optEngine("onnx").build()).close());
        assertTrue(e.getMessage().contains("djl") && e.getMessage().contains("export-onnx"), e.getMessage());

        // export-onnx maps the trained weights onto the ONNX initializers; ORT alone agrees with djl within 1e-4.
        Path onnx = tmp.resolve("model.onnx");
        r = FineTuningCliTest.cli("export-onnx", "--model", model.toString(), "--output", onnx.toString());
        assertEquals(0, r.code, r.err);
        List<String> names;
        List<float[]> ortProbs;
        try (TextClassifier c = TextClassifier.load(onnx, ModelOptions.builder().optEngine("onnx").build())) {
            assertEquals("onnx", c.engine());
            ortProbs = c.probabilities(test.texts());
            names = c.labels();
        }
        double worst = 0;
        int same = 0;
        for (int i = 0; i < test.size(); i++) {
            float[] a = djlProbs.get(i);
            float[] b = ortProbs.get(i);
            for (int k = 0; k < a.length; k++) {
                worst = Math.max(worst, Math.abs(a[k] - b[k]));
            }
            same += dev.nnsdk.format.HeadWeights.argmax(a) == dev.nnsdk.format.HeadWeights.argmax(b) ? 1 : 0;
        }
        System.out.printf("exported ONNX vs djl: %d / %d same labels, max |dp| %.2e%n", same, test.size(), worst);
        assertEquals(test.size(), same);
        assertTrue(worst <= 1e-4, "max |dp| " + worst);
        assertEquals(2, names.size());

        // The untrained ONNX file would have answered differently: the export really carries the trained weights.
        ModelDescriptor zoo = ModelRepository.resolve("all-minilm-l6-v2");
        assertTrue(Files.size(onnx) > Files.size(zoo.artifacts().get(ModelFormat.ONNX).path()) / 2);
        assertFalse(Checksums.sha256(onnx).equals(zoo.artifacts().get(ModelFormat.ONNX).sha256()));
    }

    static double meanLoss(List<float[]> probs, TextDataset d, List<String> labels) {
        double sum = 0;
        for (int i = 0; i < probs.size(); i++) {
            sum += -Math.log(Math.max(probs.get(i)[labels.indexOf(d.examples().get(i).label())], 1e-12));
        }
        return sum / probs.size();
    }

    /**
     * Checkpoints inside an epoch: a run stopped after step 9 of 12 (the listener throws, as a crash would stop it; the
     * checkpoint of step 8, epoch 2 step 2, is on disk) and resumed ends with exactly the weights, history and metrics of
     * an uninterrupted run.
     */
    @Test
    void resumeAfterAnInterruptionEndsWithTheUninterruptedRunsModel(@TempDir Path tmp) throws IOException {
        TextDataset small = new TextDataset("small", train.examples().subList(0, 48));
        TextDataset smallValid = new TextDataset("small-valid", valid.examples().subList(0, 16));
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Path ck = tmp.resolve("b.checkpoint");
        try (dev.nnsdk.training.TrainedTextClassifier clf = smallRun(small, smallValid, null, false, null).fit()) {
            clf.save(a);
        }
        dev.nnsdk.training.listener.TrainingListener crash = new dev.nnsdk.training.listener.TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int step, int steps, double loss) {
                if (epoch == 2 && step == 3) {
                    throw new IllegalStateException("simulated crash after step 9");
                }
            }
        };
        IllegalStateException stop = assertThrows(IllegalStateException.class,
                () -> smallRun(small, smallValid, ck, false, crash).fit().close());
        assertTrue(stop.getMessage().contains("simulated"), stop.getMessage());
        JsonNode state = JSON.readTree(ck.resolve("checkpoint.json").toFile());
        assertEquals(8, state.get("step").asInt(), state.toString());
        assertEquals(1, state.get("epochsDone").asInt());
        assertEquals(2, state.get("stepInEpoch").asInt());
        try (dev.nnsdk.training.TrainedTextClassifier clf = smallRun(small, smallValid, ck, true, null).fit()) {
            assertEquals(12, ((Number) ((java.util.Map<?, ?>) clf.trainingInfo().get("backboneTraining")).get("steps")).intValue());
            clf.save(b);
        }
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(a.resolve("head.bin")), Files.readAllBytes(b.resolve("head.bin"))),
                "same head");
        assertEquals(JSON.readTree(a.resolve("metrics.json").toFile()), JSON.readTree(b.resolve("metrics.json").toFile()));
        assertEquals(trainLosses(a), trainLosses(b), "same per-epoch training losses (the resumed epoch's running sums)");
        ModelOptions djl = ModelOptions.builder().optEngine("djl").build();
        List<String> texts = test.texts().subList(0, 20);
        try (TextClassifier ca = TextClassifier.load(a, djl); TextClassifier cb = TextClassifier.load(b, djl)) {
            List<float[]> pa = ca.probabilities(texts);
            List<float[]> pb = cb.probabilities(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertTrue(java.util.Arrays.equals(pa.get(i), pb.get(i)), "text " + i + ": same trained backbone");
            }
        }
    }

    private static List<String> trainLosses(Path dir) throws IOException {
        List<String> out = new ArrayList<String>();
        for (String line : Files.readAllLines(dir.resolve("history.csv"), StandardCharsets.UTF_8)) {
            String[] f = line.split(",");
            out.add(f[0] + ":" + f[2] + ":" + f[4]);      // epoch, train loss, validation loss
        }
        return out;
    }

    private static dev.nnsdk.training.TextClassificationTrainer smallRun(TextDataset t, TextDataset v, Path ck, boolean resume,
                                                                        dev.nnsdk.training.listener.TrainingListener l) {
        dev.nnsdk.training.TextClassificationTrainer tr = dev.nnsdk.training.FineTuning.textClassification()
                .setBackbone("all-minilm-l6-v2", ModelOptions.builder().optEngine("djl").build())
                .setTrainingData(t).optValidation(v)
                .optBackboneTraining(dev.nnsdk.training.config.BackboneTraining.builder().setLayers("last:1")
                        .optMaxLength(32).optBackboneLearningRate(1e-4).optMicroBatch(4).optCheckpointEverySteps(2).build())
                .optConfig(dev.nnsdk.training.config.TrainingConfig.builder().optEpochs(2).optBatchSize(8).optSeed(5).build())
                .optCheckpointDir(ck).optResume(resume);
        if (l != null) {
            tr.optListener(l);
        }
        return tr;
    }

    @Test
    void aNanLossStopsWithTheLastGoodCheckpointKept(@TempDir Path tmp) throws IOException {
        Path trainFile = jsonl(tmp.resolve("train.jsonl"), train.examples().subList(0, 64));
        Path validFile = jsonl(tmp.resolve("valid.jsonl"), valid.examples().subList(0, 16));
        Path model = tmp.resolve("model");
        FineTuningCliTest.Run r = FineTuningCliTest.cli("finetune", "--task", "text-classification",
                "--train", trainFile.toString(), "--valid", validFile.toString(), "--output", model.toString(),
                "--train-backbone", "last:1", "--max-length", "32", "--epochs", "1", "--batch-size", "8",
                "--backbone-lr", "1e30", "--checkpoint-every", "1", "--quiet");
        assertEquals(1, r.code, r.err);
        assertTrue(r.err.contains("diverged") && r.err.contains("Lower the learning rate"), r.err);
        Path ck = tmp.resolve("model.checkpoint");
        assertTrue(r.err.contains("checkpoint of epoch 1 step ") && r.err.contains(ck.toString()), r.err);
        assertFalse(Files.exists(model), "no model directory after a divergence");
        JsonNode state = JSON.readTree(ck.resolve("checkpoint.json").toFile());
        assertTrue(state.get("stepInEpoch").asInt() >= 1, state.toString());
        Path bin = ck.resolve(state.at("/extra/backboneState").asText());
        assertTrue(Files.isRegularFile(bin), bin.toString());
        assertEquals(state.at("/extra/backboneStateSha256").asText(), Checksums.sha256(bin));
        try (Stream<Path> files = Files.list(ck)) {
            assertEquals(2, files.count(), "checkpoint.json and one backbone state, no .part files");
        }
    }

    @Test
    void badBackboneTrainingInputsAreRefusedClearly(@TempDir Path tmp) throws IOException, URISyntaxException {
        Path trainFile = jsonl(tmp.resolve("train.jsonl"), train.examples().subList(0, 32));
        Path model = tmp.resolve("model");
        String[] base = {"finetune", "--task", "text-classification", "--train", trainFile.toString(), "--output",
                model.toString(), "--quiet"};

        FineTuningCliTest.Run r = FineTuningCliTest.cli(concat(base, "--train-backbone", "last:1", "--engine", "onnx"));
        assertEquals(1, r.code, r.err);
        assertTrue(r.err.contains("engine 'onnx'") && r.err.contains("--engine djl") && r.err.contains("--train-backbone none"), r.err);

        r = FineTuningCliTest.cli(concat(base, "--train-backbone", "all", "--backbone", "all-minilm-l6-v2-int8"));
        assertEquals(1, r.code, r.err);
        assertTrue(r.err.contains("no trainable artifact") && r.err.contains("[onnx]") && r.err.contains("engine djl"), r.err);

        // A Hugging Face hub directory with only model.onnx (+ tokenizer and configs): ONNX-only, so not trainable.
        Path hub = hubDir(tmp.resolve("hub"));
        r = FineTuningCliTest.cli(concat(base, "--train-backbone", "last:2", "--backbone", hub.toString()));
        assertEquals(1, r.code, r.err);
        assertTrue(r.err.contains("no trainable artifact") && r.err.contains("TorchScript"), r.err);

        for (String[] bad : new String[][] {{"--backbone-lr", "0"}, {"--backbone-lr", "-1e-5"}, {"--head-lr", "0"},
                {"--clip", "0"}, {"--clip", "-1"}}) {
            r = FineTuningCliTest.cli(concat(base, concat(new String[] {"--train-backbone", "last:1"}, bad)));
            assertEquals(1, r.code, String.join(" ", bad) + ": " + r.err);
            String what = bad[0].equals("--clip") ? "gradient clip value" : bad[0].equals("--head-lr")
                    ? "head learning rate" : "backbone learning rate";
            assertTrue(r.err.contains(what + " must be in (0.0") && r.err.contains(bad[1].replace("1e-5", "1.0E-5")), r.err);
        }
        r = FineTuningCliTest.cli(concat(base, "--train-backbone", "some"));
        assertEquals(1, r.code, r.err);
        assertTrue(r.err.contains("none, last:N (N >= 1) or all"), r.err);
        assertFalse(Files.exists(model));
    }

    /** Hub layout: e5's config files (test resources) with an ONNX file and tokenizer linked from the zoo's cache. */
    private static Path hubDir(Path dir) throws IOException, URISyntaxException {
        Path src = Paths.get(BackboneFineTuningTest.class.getResource("/hub/e5-small-v2").toURI());
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path to = dir.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        ModelDescriptor d = ModelRepository.resolve("e5-small-v2");
        Files.createSymbolicLink(dir.resolve("model.onnx"), d.artifacts().get(ModelFormat.ONNX).path());
        Files.createSymbolicLink(dir.resolve("tokenizer.json"), d.text().tokenizer().path());
        return dir;
    }

    private static String[] concat(String[] a, String... b) {
        List<String> out = new ArrayList<String>(java.util.Arrays.asList(a));
        out.addAll(java.util.Arrays.asList(b));
        return out.toArray(new String[0]);
    }
}
