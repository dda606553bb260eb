package dev.nnsdk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sdk-cli classify-image} end to end on the ResNet fixture (embedded, no assets needed). */
class ClassifyImageCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void classifiesEveryImageOfADirectoryInNameOrder(@TempDir Path dir) throws IOException {
        Path in = Files.createDirectory(dir.resolve("photos"));
        Files.copy(TestData.photo("eagle.png"), in.resolve("b-eagle.png"));
        Files.copy(TestData.photo("dog.jpg"), in.resolve("a-dog.JPG"));
        Files.copy(TestData.photo("china.png"), in.resolve("c-china.png"));
        Files.write(in.resolve("notes.txt"), "ignored".getBytes(StandardCharsets.UTF_8));
        Files.createDirectory(in.resolve("sub"));
        Path out = dir.resolve("out.jsonl");
        assertEquals(0, Cli.run("classify-image", "--model", "resnet-tiny-fixture", "--engine", "onnx",
                "--input", in.toString(), "--output", out.toString(), "--top-k", "3", "--quiet"));
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(3, lines.size());
        String[] names = {"a-dog.JPG", "b-eagle.png", "c-china.png"};
        for (int i = 0; i < 3; i++) {
            JsonNode n = JSON.readTree(lines.get(i));
            assertEquals(in.resolve(names[i]).toString(), n.get("file").asText());
            assertEquals(3, n.get("top").size());
            assertEquals(n.get("top").get(0).get("label").asText(), n.get("label").asText());
            assertEquals(n.get("top").get(0).get("score").asDouble(), n.get("score").asDouble(), 0);
            assertTrue(n.get("top").get(0).get("score").asDouble() >= n.get("top").get(1).get("score").asDouble());
        }
    }

    @Test
    void singleFileWithDefaultTopK(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("one.jsonl");
        assertEquals(0, Cli.run("classify-image", "--model", "resnet-tiny-fixture", "--input",
                TestData.photo("dog.png").toString(), "--output", out.toString()));
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(1, lines.size());
        assertEquals(4, JSON.readTree(lines.get(0)).get("top").size()); // default 5, capped at the 4 classes
    }

    @Test
    void greyscaleSixteenBitAndOnePixelImagesAreClassified(@TempDir Path dir) throws IOException {
        Path in = Files.createDirectory(dir.resolve("odd"));
        java.awt.image.BufferedImage grey = new java.awt.image.BufferedImage(300, 200, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        java.awt.image.BufferedImage grey16 = new java.awt.image.BufferedImage(120, 90, java.awt.image.BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 90; y++) {
            for (int x = 0; x < 120; x++) {
                grey.getRaster().setSample(x, y, 0, (x * y) & 0xFF);
                grey16.getRaster().setSample(x, y, 0, (x * 541 + y * 97) & 0xFFFF);
            }
        }
        java.awt.image.BufferedImage dot = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB);
        dot.setRGB(0, 0, 0x3366CC);
        javax.imageio.ImageIO.write(grey, "png", in.resolve("grey.png").toFile());
        javax.imageio.ImageIO.write(grey16, "png", in.resolve("grey16.png").toFile());
        javax.imageio.ImageIO.write(dot, "png", in.resolve("dot.png").toFile());
        Path out = dir.resolve("odd.jsonl");
        assertEquals(0, Cli.run("classify-image", "--model", "resnet-tiny-fixture", "--input", in.toString(),
                "--output", out.toString(), "--top-k", "4", "--quiet"));
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(3, lines.size());
        for (String line : lines) {
            double sum = 0;
            for (JsonNode t : JSON.readTree(line).get("top")) {
                sum += t.get("score").asDouble();
            }
            assertEquals(1.0, sum, 1e-5, line);
        }
    }

    @Test
    void anUndecodableImageStopsTheRunWithoutOutput(@TempDir Path dir) throws IOException {
        Path in = Files.createDirectory(dir.resolve("photos"));
        Files.copy(TestData.photo("dog.png"), in.resolve("a.png"));
        Files.write(in.resolve("broken.png"), "not a png".getBytes(StandardCharsets.UTF_8));
        Path out = dir.resolve("out.jsonl");
        String err = captureErr(() -> assertEquals(1, Cli.run("classify-image", "--model", "resnet-tiny-fixture",
                "--input", in.toString(), "--output", out.toString(), "--quiet")));
        assertTrue(err.contains("broken.png"), err);
        assertFalse(Files.exists(out), "no partial output");
        assertEquals(1, Files.list(dir).count(), "no temporary file left behind");
    }

    @Test
    void usageErrors(@TempDir Path dir) {
        Path out = dir.resolve("out.jsonl");
        captureErr(() -> assertEquals(2, Cli.run("classify-image", "--model", "resnet-tiny-fixture", "--input",
                TestData.photo("dog.png").toString(), "--output", out.toString(), "--top-k", "0")));
        String err = captureErr(() -> assertEquals(1, Cli.run("classify-image", "--model", "resnet-tiny-fixture", "--input",
                dir.resolve("missing").toString(), "--output", out.toString())));
        assertTrue(err.contains("missing"), err);
    }

    private static String captureErr(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return new String(buf.toByteArray(), StandardCharsets.UTF_8);
    }
}
