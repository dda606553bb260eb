package dev.nnsdk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.image.Image;
import dev.nnsdk.training.data.ImageDataset;
import dev.nnsdk.training.data.ImageExample;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static dev.nnsdk.it.FineTuningCliTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code finetune --task image-classification} and the commands around it on a Keras-style
 * class-per-folder dataset written from real Fashion-MNIST images (PNG and JPEG), with an
 * unreadable file in a class folder, and the bad inputs the CLI must refuse.
 */
class ImageFineTuningCliTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> CLASSES = Arrays.asList("Trouser", "Sneaker", "Bag");
    static final int PER_CLASS = 30;

    @TempDir
    static Path root;
    static Path folders;

    @BeforeAll
    static void writeFolders() throws IOException {
        Path idx = FineTuningAssets.require("datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
        ImageDataset test = ImageDataset.read(idx);
        folders = root.resolve("fashion3");
        int[] written = new int[CLASSES.size()];
        for (ImageExample e : test.examples()) {
            int c = CLASSES.indexOf(e.label());
            if (c < 0 || written[c] == PER_CLASS) {
                continue;
            }
            Path dir = Files.createDirectories(folders.resolve(e.label()));
            String ext = written[c] % 3 == 0 ? "jpg" : "png";
            write(e.load(), dir.resolve(String.format("%03d.%s", written[c], ext)), ext);
            written[c]++;
        }
        // Unreadable files in class folders: skipped with a warning naming them.
        Files.write(folders.resolve("Bag").resolve("broken.png"), "not a png".getBytes(StandardCharsets.UTF_8));
        Files.write(folders.resolve("Sneaker").resolve("empty.jpg"), new byte[0]);
    }

    static void write(Image im, Path file, String format) throws IOException {
        BufferedImage b = new BufferedImage(im.width(), im.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < im.height(); y++) {
            for (int x = 0; x < im.width(); x++) {
                b.setRGB(x, y, im.argb(x, y));
            }
        }
        assertTrue(ImageIO.write(b, format, file.toFile()));
    }

    @Test
    void finetuneEvaluatePredictExportOnClassFolders() throws IOException {
        Path out = root.resolve("model");
        FineTuningCliTest.Run r = cli("finetune", "--task", "image-classification", "--train", folders.toString(),
                "--output", out.toString(), "--epochs", "8", "--quiet");
        assertEquals(0, r.code, r.err);
        JsonNode m = JSON.readTree(r.lastLine());
        assertTrue(m.has("accuracy") && m.has("macro_f1"), r.lastLine());
        assertTrue(r.err.contains("broken.png") && r.err.contains("empty.jpg"), "skipped files are named: " + r.err);
        JsonNode model = JSON.readTree(out.resolve("model.json").toFile());
        assertEquals("image-classification", model.get("task").asText());
        assertEquals("[\"Bag\",\"Sneaker\",\"Trouser\"]", model.get("labels").toString());
        assertTrue(Files.exists(out.resolve("history.csv")) && Files.exists(out.resolve("accuracy.png")));
        assertFalse(Files.exists(root.resolve("model.checkpoint")), "checkpoint removed after saving");

        r = cli("evaluate", "--model", out.toString(), "--data", folders.toString());
        assertEquals(0, r.code, r.err);
        JsonNode e = JSON.readTree(r.lastLine());
        assertEquals(3 * PER_CLASS, e.get("examples").asInt(), r.lastLine());
        assertTrue(e.get("accuracy").asDouble() >= 0.9, "trousers, sneakers and bags are easy: " + r.lastLine());

        Path pred = root.resolve("bags.jsonl");
        r = cli("predict", "--model", out.toString(), "--input", folders.resolve("Bag").toString(), "--output",
                pred.toString(), "--quiet");
        assertEquals(1, r.code, "a directory with an unreadable image fails as a whole, naming it: " + r.err);
        assertTrue(r.err.contains("broken.png"), r.err);
        assertFalse(Files.exists(pred), "no partial output");
        Files.delete(folders.resolve("Bag").resolve("broken.png"));
        try {
            r = cli("predict", "--model", out.toString(), "--input", folders.resolve("Bag").toString(), "--output",
                    pred.toString(), "--quiet");
        } finally {
            Files.write(folders.resolve("Bag").resolve("broken.png"), "not a png".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(0, r.code, r.err);
        List<String> lines = Files.readAllLines(pred);
        assertEquals(PER_CLASS, lines.size());
        int bags = 0;
        for (String line : lines) {
            JsonNode p = JSON.readTree(line);
            assertTrue(p.get("file").asText().contains("Bag"), line);
            assertEquals(3, p.get("top").size(), line);
            assertEquals(p.get("label").asText(), p.get("top").get(0).get("label").asText(), line);
            bags += "Bag".equals(p.get("label").asText()) ? 1 : 0;
        }
        assertTrue(bags >= PER_CLASS - 3, bags + " of " + PER_CLASS + " bags predicted as Bag");

        Path onnx = root.resolve("model.onnx");
        r = cli("export-onnx", "--model", out.toString(), "--output", onnx.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(Files.size(onnx) > Files.size(out.resolve("head.bin")), "backbone + head in one file");
    }

    @Test
    void augmentedCopiesGoThroughTheBackboneAndAreRecorded() throws IOException {
        Path out = root.resolve("augmented");
        FineTuningCliTest.Run r = cli("finetune", "--task", "image-classification", "--train", folders.toString(),
                "--output", out.toString(), "--epochs", "3", "--augment", "flip,rotation=10,shift=0.1,zoom=0.1,copies=1",
                "--quiet");
        assertEquals(0, r.code, r.err);
        JsonNode t = JSON.readTree(out.resolve("training.json").toFile());
        assertEquals(1, t.get("augmentation").get("copies").asInt(), t.toString());
        assertTrue(t.get("augmentation").get("flip").asBoolean(), t.toString());
    }

    @Test
    void badInputIsRefusedWithASpecificMessage() throws IOException {
        Path single = Files.createDirectories(root.resolve("single").resolve("Bag"));
        Files.copy(folders.resolve("Bag").resolve("000.jpg"), single.resolve("000.jpg"));
        Files.copy(folders.resolve("Bag").resolve("001.png"), single.resolve("001.png"));
        FineTuningCliTest.Run r = cli("finetune", "--task", "image-classification", "--train", single.getParent().toString(),
                "--output", root.resolve("x1").toString(), "--quiet");
        assertEquals(1, r.code, r.err);
        assertTrue(r.err.contains("single class"), r.err);

        Path empty = Files.createDirectories(root.resolve("empty"));
        r = cli("finetune", "--task", "image-classification", "--train", empty.toString(), "--output",
                root.resolve("x2").toString(), "--quiet");
        assertEquals(1, r.code, r.err);
        assertTrue(r.err.contains(empty.toString()), r.err);

        r = cli("finetune", "--task", "image-classification", "--train", folders.toString(), "--output",
                root.resolve("x3").toString(), "--augment", "flip,spin=3", "--quiet");
        assertEquals(1, r.code, r.err);
        assertTrue(r.err.contains("spin"), r.err);

        Path exists = Files.createDirectories(root.resolve("exists"));
        r = cli("finetune", "--task", "image-classification", "--train", folders.toString(), "--output", exists.toString(),
                "--quiet");
        assertEquals(1, r.code, r.err);
        assertTrue(r.err.contains("--overwrite"), r.err);
        assertFalse(Files.exists(root.resolve("x1")) || Files.exists(root.resolve("x2")) || Files.exists(root.resolve("x3")));
    }
}
