package dev.nnsdk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.cli.Cli;
import dev.nnsdk.inference.Classification;
import dev.nnsdk.inference.ImageClassifier;
import dev.nnsdk.inference.Recommender;
import dev.nnsdk.inference.ScoredItem;
import dev.nnsdk.inference.TextClassifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Model directories saved by the release before issue 11 (commit {@code ae35c9b}) still load and predict
 * exactly as that release did. The fixtures in {@code src/test/resources/legacy/} (a text classifier on
 * all-minilm-l6-v2, an image classifier on resnet-tiny-fixture, a recommender with the MiniLM item encoder) and
 * the outputs in {@code legacy/expected/} were written by the OLD CLI; see {@code legacy/README.md} and
 * {@code legacy/make-legacy-fixtures.sh}. Every backbone comes from Maven or the repository: no SDK_ASSETS_DIR.
 */
class LegacySavedModelsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double TOLERANCE = 1e-6;
    /** The users whose recommendations {@code expected/recommender.recommend.jsonl} holds, one line each. */
    private static final String[] USERS = {"1", "2", "5", "12"};
    private static final int RECOMMEND_K = 5;

    private static ModelOptions onnx() {
        return ModelOptions.builder().optEngine("onnx").build();
    }

    // ---------------------------------------------------------------- public API

    @Test
    void textClassifierLoadsAndPredictsAsTheOldRelease(@TempDir Path tmp) throws IOException {
        Path dir = copyFixture("text-classifier", tmp);
        List<String> texts = texts();
        List<JsonNode> expected = lines("expected/text-classifier.predict.jsonl");
        assertEquals(texts.size(), expected.size());
        try (TextClassifier c = TextClassifier.load(dir, onnx())) {
            assertEquals(List.of("negative", "positive"), c.labels());
            for (int i = 0; i < texts.size(); i++) {
                assertClassification(expected.get(i), c.classify(texts.get(i), 2), "text " + (i + 1));
            }
        }
    }

    @Test
    void imageClassifierLoadsAndPredictsAsTheOldRelease(@TempDir Path tmp) throws IOException {
        Path dir = copyFixture("image-classifier", tmp);
        List<Path> images = images();
        for (String file : new String[] {"expected/image-classifier.predict.jsonl",
                "expected/image-classifier.classify-image.jsonl"}) {
            List<JsonNode> expected = lines(file);
            assertEquals(images.size(), expected.size());
            try (ImageClassifier c = ImageClassifier.load(dir, onnx())) {
                assertEquals(List.of("bag", "t-shirt-top", "trouser"), c.labels());
                for (int i = 0; i < images.size(); i++) {
                    assertEquals(fileName(expected.get(i)), images.get(i).getFileName().toString());
                    assertClassification(expected.get(i), c.classify(images.get(i), 3), file + " " + images.get(i));
                }
            }
        }
    }

    @Test
    void recommenderLoadsAndRecommendsAsTheOldRelease(@TempDir Path tmp) throws IOException {
        Path dir = copyFixture("recommender", tmp);
        List<String> expected = rawLines("expected/recommender.recommend.jsonl");
        assertEquals(USERS.length, expected.size());
        try (Recommender r = Recommender.load(dir, onnx())) {
            for (int u = 0; u < USERS.length; u++) {
                assertRecommendations(JSON.readTree(expected.get(u)), r.recommend(USERS[u], RECOMMEND_K), "user " + USERS[u]);
            }
        }
    }

    // ---------------------------------------------------------------- new CLI

    @Test
    void newCliPredictsTextAsTheOldCli(@TempDir Path tmp) throws IOException {
        Path dir = copyFixture("text-classifier", tmp);
        Path out = tmp.resolve("text.jsonl");
        FineTuningCliTest.Run r = FineTuningCliTest.cli("predict", "--model", dir.toString(), "--engine", "onnx",
                "--input", fixture("inputs/texts.jsonl").toString(), "--output", out.toString(), "--top", "2", "--quiet");
        assertEquals(0, r.code, r.err);
        assertSameClassificationLines(lines("expected/text-classifier.predict.jsonl"), readJsonLines(out));
    }

    @Test
    void newCliPredictsAndClassifiesImagesAsTheOldCli(@TempDir Path tmp) throws IOException {
        Path dir = copyFixture("image-classifier", tmp);
        Path in = fixture("inputs/images");
        Path predicted = tmp.resolve("predict.jsonl");
        FineTuningCliTest.Run r = FineTuningCliTest.cli("predict", "--model", dir.toString(), "--engine", "onnx",
                "--input", in.toString(), "--output", predicted.toString(), "--top", "3", "--quiet");
        assertEquals(0, r.code, r.err);
        assertSameClassificationLines(lines("expected/image-classifier.predict.jsonl"), readJsonLines(predicted));
        Path classified = tmp.resolve("classify.jsonl");
        r = FineTuningCliTest.cli("classify-image", "--model", dir.toString(), "--engine", "onnx",
                "--input", in.toString(), "--output", classified.toString(), "--top-k", "3", "--quiet");
        assertEquals(0, r.code, r.err);
        assertSameClassificationLines(lines("expected/image-classifier.classify-image.jsonl"), readJsonLines(classified));
    }

    @Test
    void newCliRecommendsAsTheOldCli(@TempDir Path tmp) throws IOException {
        Path dir = copyFixture("recommender", tmp);
        List<String> expected = rawLines("expected/recommender.recommend.jsonl");
        for (int u = 0; u < USERS.length; u++) {
            FineTuningCliTest.Run r = FineTuningCliTest.cli("recommend", "--model", dir.toString(), "--engine", "onnx",
                    "--user", USERS[u], "--k", Integer.toString(RECOMMEND_K));
            assertEquals(0, r.code, r.err);
            JsonNode want = JSON.readTree(expected.get(u));
            JsonNode got = JSON.readTree(r.lastLine());
            assertEquals(want.size(), got.size(), "user " + USERS[u] + ": " + r.out);
            for (int i = 0; i < want.size(); i++) {
                String where = "user " + USERS[u] + " rank " + (i + 1);
                assertEquals(want.get(i).get("item").asText(), got.get(i).get("item").asText(), where);
                assertEquals(want.get(i).get("score").asDouble(), got.get(i).get("score").asDouble(), TOLERANCE, where);
                assertEquals(want.get(i).get("text").asText(), got.get(i).get("text").asText(), where);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void assertClassification(JsonNode want, List<Classification> got, String where) {
        assertEquals(want.get("label").asText(), got.get(0).label(), where);
        assertEquals(want.get("score").asDouble(), got.get(0).score(), TOLERANCE, where);
        JsonNode top = want.get("top");
        assertEquals(top.size(), got.size(), where);
        for (int k = 0; k < top.size(); k++) {
            assertEquals(top.get(k).get("label").asText(), got.get(k).label(), where + " top " + (k + 1));
            assertEquals(top.get(k).get("score").asDouble(), got.get(k).score(), TOLERANCE, where + " top " + (k + 1));
        }
    }

    private static void assertSameClassificationLines(List<JsonNode> want, List<JsonNode> got) {
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            String where = "line " + (i + 1);
            JsonNode w = want.get(i);
            JsonNode g = got.get(i);
            assertEquals(w.has("file"), g.has("file"), where);
            if (w.has("file")) {
                assertEquals(fileName(w), fileName(g), where);
            }
            assertEquals(w.get("label").asText(), g.get("label").asText(), where);
            assertEquals(w.get("score").asDouble(), g.get("score").asDouble(), TOLERANCE, where);
            assertEquals(w.get("top").size(), g.get("top").size(), where);
            for (int k = 0; k < w.get("top").size(); k++) {
                JsonNode wk = w.get("top").get(k);
                JsonNode gk = g.get("top").get(k);
                assertEquals(wk.get("label").asText(), gk.get("label").asText(), where + " top " + (k + 1));
                assertEquals(wk.get("score").asDouble(), gk.get("score").asDouble(), TOLERANCE, where + " top " + (k + 1));
            }
        }
    }

    private static void assertRecommendations(JsonNode want, List<ScoredItem> got, String where) {
        assertEquals(want.size(), got.size(), where);
        for (int i = 0; i < want.size(); i++) {
            String at = where + " rank " + (i + 1);
            assertEquals(want.get(i).get("item").asText(), got.get(i).item(), at);
            assertEquals(want.get(i).get("score").asDouble(), got.get(i).score(), TOLERANCE, at);
            assertEquals(want.get(i).get("text").asText(), got.get(i).text(), at);
        }
    }

    private static String fileName(JsonNode line) {
        return Paths.get(line.get("file").asText()).getFileName().toString();
    }

    /** A file or directory of {@code src/test/resources/legacy/}. */
    private static Path fixture(String relative) {
        URL url = LegacySavedModelsTest.class.getResource("/legacy/" + relative);
        assertNotNull(url, "test resource legacy/" + relative + " is missing");
        try {
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies a fixture model directory into {@code tmp}, so that loading cannot touch the committed one. */
    private static Path copyFixture(String name, Path tmp) throws IOException {
        Path src = fixture(name);
        Path dst = tmp.resolve(name);
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.collect(Collectors.toList())) {
                Path target = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return dst;
    }

    private static List<String> texts() throws IOException {
        List<String> out = new ArrayList<String>();
        for (JsonNode n : lines("inputs/texts.jsonl")) {
            out.add(n.get("text").asText());
        }
        return out;
    }

    /** The input images in name order, as the old CLI listed the directory. */
    private static List<Path> images() throws IOException {
        try (Stream<Path> files = Files.list(fixture("inputs/images"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().collect(Collectors.toList());
        }
    }

    private static List<String> rawLines(String relative) throws IOException {
        return Files.readAllLines(fixture(relative), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank()).collect(Collectors.toList());
    }

    private static List<JsonNode> lines(String relative) throws IOException {
        return readJsonLines(fixture(relative));
    }

    private static List<JsonNode> readJsonLines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<JsonNode>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!l.isBlank()) {
                out.add(JSON.readTree(l));
            }
        }
        return out;
    }
}
