package dev.nnsdk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.EngineException;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.image.Image;
import dev.nnsdk.inference.Classification;
import dev.nnsdk.inference.ImageClassifier;
import dev.nnsdk.io.Checksums;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;
import dev.nnsdk.training.data.ImageDataset;
import dev.nnsdk.training.data.ImageExample;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Image backbone training end to end at CI size (issue 13): the first 200 Fashion-MNIST training images (180 train / 20
 * validation, the CLI's stratified 10% split), the zoo's MobileNetV2 TorchScript from the shared assets, the last
 * inverted-residual block + the final 1x1 convolution + head trained for two epochs, through the CLI's documented
 * commands ({@code finetune --train-backbone}, {@code evaluate}, {@code export-onnx}); the exported ONNX file (BatchNorm
 * folded into the convolutions by us, checked on the untrained pair) runs on ONNX Runtime alone and agrees with the saved
 * model on djl. The full-size run (10,000 / 2,000) is a benchmark (scripts/bench-backbone-image.sh, docs/finetuning.md).
 */
class ImageBackboneFineTuningTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static Path trainIdx;
    static Path testIdx;

    @BeforeAll
    static void assets() {
        FineTuningAssets.require("models/mobilenet-v2-nsfw/model.torchscript.pt");
        trainIdx = FineTuningAssets.require("datasets/fashion-mnist/train-images-idx3-ubyte.gz");
        testIdx = FineTuningAssets.require("datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
    }

    @Test
    void lastBlockTrainsSavesEvaluatesAndExportsToOnnxThatAgrees(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("model");
        long t0 = System.nanoTime();
        FineTuningCliTest.Run r = FineTuningCliTest.cli("finetune", "--task", "image-classification", "--engine", "djl",
                "--train", trainIdx.toString(), "--limit", "200", "--output", model.toString(),
                "--train-backbone", "last:1", "--epochs", "2", "--batch-size", "16", "--micro-batch", "8",
                "--backbone-lr", "1e-4", "--seed", "42", "--quiet");
        System.out.printf("finetune --train-backbone last:1 (200 images, 2 epochs): %.1f s%n",
                (System.nanoTime() - t0) / 1e9);
        assertEquals(0, r.code, r.err);
        ImageDataset all = ImageDataset.read(trainIdx).first(200);
        ImageDataset.Split split = all.stratifiedSplit(0.1, 42);      // the CLI's split (10%, --seed)
        assertEquals(split.validation().size(), JSON.readTree(r.lastLine()).get("examples").asInt());

        // The saved directory: trained module + head, checksummed, with the backbone's own preprocessing.
        for (String f : new String[] {"backbone.pt", "head.bin", "model.json", "training.json", "history.csv"}) {
            assertTrue(Files.isRegularFile(model.resolve(f)), f);
        }
        JsonNode mj = JSON.readTree(model.resolve("model.json").toFile());
        assertEquals("image-classification", mj.get("task").asText());
        assertEquals(Checksums.sha256(model.resolve("backbone.pt")), mj.at("/artifacts/torchscript/sha256").asText());
        assertFalse(mj.path("artifacts").has("onnx"), "the untrained ONNX backbone must not be offered for this model");
        assertEquals(224, mj.at("/image/width").asInt());
        assertEquals("features", mj.at("/image/features").asText());
        assertEquals("last:1", mj.at("/provenance/trainedBackbone/layers").asText());
        JsonNode bt = JSON.readTree(model.resolve("training.json").toFile()).get("backboneTraining");
        assertEquals("[\"block_16\",\"Conv_1\"]", bt.get("trainedLayers").toString(), "the top block + the final 1x1 conv");
        // block_16: expand, depthwise, project kernels + 3 BatchNorm (gamma, beta); Conv_1: kernel + gamma, beta.
        assertEquals(12, bt.get("trainedTensors").asInt(), bt.toString());
        assertEquals(160 * 960 + 960 * 9 + 960 * 320 + 2 * (960 + 960 + 320) + 320 * 1280 + 2 * 1280,
                bt.get("trainedParameters").asInt(), bt.toString());
        assertEquals(2 * ((split.train().size() + 15) / 16), bt.get("steps").asInt(), "two epochs in batches of 16");
        assertEquals(1e-4, bt.get("headLearningRate").asDouble(), 0, "the image default (features are not normalised)");
        assertTrue(bt.get("batchNorm").asText().startsWith("affine"), bt.toString());

        // The loss falls: the second epoch's mean training loss is below the first's (history.csv), and the saved
        // model's loss on its training images is reported beside the linear probe's (the head's start).
        List<String> history = Files.readAllLines(model.resolve("history.csv"));
        assertEquals(3, history.size(), history.toString());
        double epoch1 = Double.parseDouble(history.get(1).split(",")[2]);
        double epoch2 = Double.parseDouble(history.get(2).split(",")[2]);
        System.out.printf("mean training loss: epoch 1 %.4f -> epoch 2 %.4f%n", epoch1, epoch2);
        assertTrue(epoch2 < epoch1 - 0.01, "training loss " + epoch1 + " -> " + epoch2);
        List<Image> trainImages = images(split.train());
        ModelOptions djl = ModelOptions.builder().optEngine("djl").build();
        double probeLoss = bt.at("/probe/trainLoss").asDouble();
        double trainedLoss;
        List<Image> test = images(ImageDataset.read(testIdx).first(48));
        List<List<Classification>> djlTop;
        try (ImageClassifier c = ImageClassifier.load(model, djl)) {
            assertEquals("djl", c.engine());
            trainedLoss = meanLoss(c.classifyAll(trainImages, 10), split.train());
            djlTop = c.classifyAll(test, 10);
        }
        System.out.printf("training loss: linear probe %.4f, fine-tuned model %.4f%n", probeLoss, trainedLoss);
        assertTrue(trainedLoss < epoch2 + 0.05, "the saved model is the trained one: " + trainedLoss + " vs " + epoch2);

        // evaluate works on the saved directory (djl).
        r = FineTuningCliTest.cli("evaluate", "--model", model.toString(), "--data", testIdx.toString(), "--limit", "100",
                "--engine", "djl", "--quiet");
        assertEquals(0, r.code, r.err);
        double accuracy = JSON.readTree(r.lastLine()).get("accuracy").asDouble();
        System.out.printf("test accuracy after backbone training (100 images): %.3f%n", accuracy);
        assertTrue(accuracy >= 0.6, "test accuracy " + accuracy);

        // On ONNX Runtime the directory says what to do instead of running the untrained ONNX backbone.
        EngineException e = assertThrows(EngineException.class,
                () -> ImageClassifier.load(model, ModelOptions.builder().optEngine("onnx").build()).close());
        assertTrue(e.getMessage().contains("djl"), e.getMessage());

        // export-onnx folds the trained BatchNorm + convolution weights onto the ONNX Conv initializers; ORT agrees.
        Path onnx = tmp.resolve("model.onnx");
        r = FineTuningCliTest.cli("export-onnx", "--model", model.toString(), "--output", onnx.toString());
        assertEquals(0, r.code, r.err);
        List<List<Classification>> ortTop;
        try (ImageClassifier c = ImageClassifier.load(onnx, ModelOptions.builder().optEngine("onnx").build())) {
            assertEquals("onnx", c.engine());
            ortTop = c.classifyAll(test, 10);
        }
        double worst = 0;
        int same = 0;
        for (int i = 0; i < test.size(); i++) {
            same += djlTop.get(i).get(0).label().equals(ortTop.get(i).get(0).label()) ? 1 : 0;
            for (Classification a : djlTop.get(i)) {
                for (Classification b : ortTop.get(i)) {
                    if (a.label().equals(b.label())) {
                        worst = Math.max(worst, Math.abs(a.score() - b.score()));
                    }
                }
            }
        }
        System.out.printf("exported ONNX vs djl: %d / %d same labels, max |dp| %.2e%n", same, test.size(), worst);
        assertEquals(test.size(), same);
        assertTrue(worst <= 1e-4, "max |dp| " + worst);

        // evaluate takes the exported file too (its output already is the probabilities): same figure as on djl.
        r = FineTuningCliTest.cli("evaluate", "--model", onnx.toString(), "--data", testIdx.toString(), "--limit", "100",
                "--engine", "onnx", "--quiet");
        assertEquals(0, r.code, r.err);
        assertEquals(accuracy, JSON.readTree(r.lastLine()).get("accuracy").asDouble(), 0.011, "one image at most");

        // The untrained ONNX file would have answered differently: the export really carries the trained weights.
        ModelDescriptor zoo = ModelRepository.resolve("mobilenet-v2-nsfw");
        assertFalse(Checksums.sha256(onnx).equals(zoo.artifacts().get(ModelFormat.ONNX).sha256()));
    }

    @Test
    void badImageBackboneTrainingInputsAreRefusedClearly(@TempDir Path tmp) {
        Path model = tmp.resolve("model");
        String[] base = {"finetune", "--task", "image-classification", "--train", trainIdx.toString(), "--limit", "40",
                "--output", model.toString(), "--quiet"};
        FineTuningCliTest.Run r = FineTuningCliTest.cli(concat(base, "--train-backbone", "last:1", "--engine", "onnx"));
        assertEquals(1, r.code, r.err);
        assertTrue(r.err.contains("engine 'onnx'") && r.err.contains("--engine djl") && r.err.contains("--train-backbone none"),
                r.err);
        for (String[] bad : new String[][] {{"--backbone-lr", "0"}, {"--head-lr", "-1"}, {"--clip", "0"}}) {
            r = FineTuningCliTest.cli(concat(base, concat(new String[] {"--train-backbone", "last:1"}, bad)));
            assertEquals(1, r.code, String.join(" ", bad) + ": " + r.err);
            assertTrue(r.err.contains("must be in (0.0"), r.err);
        }
        r = FineTuningCliTest.cli(concat(base, "--train-backbone", "last:18"));
        assertEquals(1, r.code, r.err);
        assertTrue(r.err.contains("N must be in 1..17"), r.err);
        r = FineTuningCliTest.cli(concat(base, "--train-backbone", "last:1", "--batchnorm", "update"));
        assertEquals(1, r.code, r.err);
        assertTrue(r.err.contains("affine or frozen") && r.err.contains("eval mode"), r.err);
        // augmentation is drawn afresh each epoch while the backbone trains: precomputed copies are refused
        r = FineTuningCliTest.cli(concat(base, "--train-backbone", "last:1", "--augment", "flip,copies=2"));
        assertEquals(1, r.code, r.err);
        assertTrue(r.err.contains("--augment") && r.err.contains("copies=2"), r.err);
        assertFalse(Files.exists(model));
    }

    static List<Image> images(ImageDataset d) {
        List<Image> out = new ArrayList<Image>(d.size());
        for (ImageExample e : d.examples()) {
            out.add(e.load());
        }
        return out;
    }

    static double meanLoss(List<List<Classification>> top, ImageDataset d) {
        double sum = 0;
        for (int i = 0; i < top.size(); i++) {
            String label = d.examples().get(i).label();
            double p = 1e-12;
            for (Classification c : top.get(i)) {
                if (c.label().equals(label)) {
                    p = Math.max(p, c.score());
                }
            }
            sum += -Math.log(p);
        }
        return sum / top.size();
    }

    private static String[] concat(String[] a, String... b) {
        List<String> out = new ArrayList<String>(java.util.Arrays.asList(a));
        out.addAll(java.util.Arrays.asList(b));
        return out.toArray(new String[0]);
    }
}
