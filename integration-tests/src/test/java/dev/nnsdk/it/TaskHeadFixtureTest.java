package dev.nnsdk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.InvalidInputException;
import dev.nnsdk.ModelLoadException;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.inference.CrossEncoder;
import dev.nnsdk.inference.EntitySpan;
import dev.nnsdk.inference.ScoredText;
import dev.nnsdk.inference.TextClassifier;
import dev.nnsdk.inference.TokenClassifier;
import dev.nnsdk.repository.ModelRepository;
import dev.nnsdk.text.Encoding;
import dev.nnsdk.text.Tokenizer;
import dev.nnsdk.text.Tokenizers;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The task heads that come with Hugging Face exports, on the fixtures {@code src/test/python/make_task_head_fixtures.py}
 * makes (tiny random BERTs with MiniLM's real vocabulary; ONNX + TorchScript; PyTorch's outputs and the spans of a
 * re-implementation of transformers' aggregation in {@code reference.json}). Each directory is laid out as the hub
 * ships such a model (config.json + tokenizer.json + model file), with no model.json. Both engines.
 */
class TaskHeadFixtureTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double TOL = 1e-4;

    @TempDir
    Path tmp;

    /** A hub-style directory: the fixture's config.json + one model file + MiniLM's tokenizer.json from the zoo. */
    private Path dir(String name, String engine) throws IOException, URISyntaxException {
        Path src = Paths.get(TaskHeadFixtureTest.class.getResource("/taskheads/" + name).toURI());
        Path d = tmp.resolve(name + "-" + engine);
        Files.createDirectories(d);
        Files.copy(src.resolve("config.json"), d.resolve("config.json"));
        String model = engine.equals("onnx") ? "model.onnx" : "model.torchscript.pt";
        Files.copy(src.resolve(model), d.resolve(model));
        Files.copy(ModelRepository.resolve("all-minilm-l6-v2").text().tokenizer().path(), d.resolve("tokenizer.json"));
        return d;
    }

    private static JsonNode reference(String name) throws IOException, URISyntaxException {
        return JSON.readTree(Paths.get(TaskHeadFixtureTest.class.getResource("/taskheads/" + name + "/reference.json").toURI()).toFile());
    }

    private static ModelOptions on(String engine) {
        return ModelOptions.builder().optEngine(engine).build();
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<String>();
        for (JsonNode n : a) {
            out.add(n.asText());
        }
        return out;
    }

    private static double maxDiff(float[] got, JsonNode want) {
        assertEquals(want.size(), got.length);
        double d = 0;
        for (int i = 0; i < got.length; i++) {
            d = Math.max(d, Math.abs(got[i] - want.get(i).asDouble()));
        }
        return d;
    }

    @ParameterizedTest
    @ValueSource(strings = {"onnx", "djl"})
    void sequenceClassificationSinglesAndPairs(String engine) throws Exception {
        JsonNode ref = reference("seqcls");
        try (TextClassifier clf = TextClassifier.load(dir("seqcls", engine), on(engine))) {
            assertEquals(Arrays.asList("negative", "neutral", "positive"), clf.labels());
            List<float[]> p = clf.probabilities(strings(ref.get("texts")));
            double worst = 0;
            for (int i = 0; i < p.size(); i++) {
                worst = Math.max(worst, maxDiff(p.get(i), ref.get("probabilities").get(i)));
            }
            List<String> a = new ArrayList<String>();
            List<String> b = new ArrayList<String>();
            for (JsonNode pair : ref.get("pairs")) {
                a.add(pair.get(0).asText());
                b.add(pair.get(1).asText());
            }
            List<float[]> pp = clf.pairProbabilities(a, b);
            for (int i = 0; i < pp.size(); i++) {
                worst = Math.max(worst, maxDiff(pp.get(i), ref.get("pairProbabilities").get(i)));
            }
            System.out.printf("seqcls on %s: max |SDK - PyTorch| probability %.2e%n", engine, worst);
            assertTrue(worst <= TOL, "max diff " + worst);
            int best = 0;
            float[] p0 = p.get(0);
            for (int k = 1; k < 3; k++) {
                best = p0[k] > p0[best] ? k : best;
            }
            assertEquals(clf.labels().get(best), clf.classify(ref.get("texts").get(0).asText()).label());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"onnx", "djl"})
    void multiLabelUsesSigmoid(String engine) throws Exception {
        JsonNode ref = reference("multilabel");
        try (TextClassifier clf = TextClassifier.load(dir("multilabel", engine), on(engine))) {
            assertTrue(clf.multiLabel());
            List<float[]> p = clf.probabilities(strings(ref.get("texts")));
            double worst = 0;
            for (int i = 0; i < p.size(); i++) {
                worst = Math.max(worst, maxDiff(p.get(i), ref.get("probabilities").get(i)));
            }
            System.out.printf("multilabel on %s: max diff %.2e%n", engine, worst);
            assertTrue(worst <= TOL, "max diff " + worst);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"onnx", "djl"})
    void crossEncoderScoresAndRerank(String engine) throws Exception {
        JsonNode ref = reference("crossenc");
        try (CrossEncoder ce = CrossEncoder.load(dir("crossenc", engine), on(engine))) {
            List<String> passages = strings(ref.get("passages"));
            float[] s = ce.scores(ref.get("query").asText(), passages);
            double worst = maxDiff(s, ref.get("scores"));
            System.out.printf("crossenc on %s: max diff %.2e%n", engine, worst);
            assertTrue(worst <= TOL, "max diff " + worst);
            List<ScoredText> top = ce.rerank(ref.get("query").asText(), passages, 3);
            assertEquals(3, top.size());
            for (int i = 0; i < 3; i++) {
                assertEquals(ref.get("order").get(i).asInt(), top.get(i).index());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"onnx", "djl"})
    void nerSpansMatchTransformersAggregation(String engine) throws Exception {
        JsonNode ref = reference("tokcls");
        try (TokenClassifier ner = TokenClassifier.load(dir("tokcls", engine), on(engine))) {
            List<String> texts = new ArrayList<String>();
            for (JsonNode c : ref.get("cases")) {
                texts.add(c.get("text").asText());
            }
            List<float[][]> probs = ner.tokenProbabilities(texts);
            double worstLogit = 0;
            for (int i = 0; i < texts.size(); i++) {
                JsonNode logits = ref.get("cases").get(i).get("logits");
                assertEquals(logits.size(), probs.get(i).length, "token count of " + texts.get(i));
            }
            int spans = 0;
            for (TokenClassifier.Aggregation a : TokenClassifier.Aggregation.values()) {
                String key = a.name().toLowerCase(java.util.Locale.ROOT);
                List<List<EntitySpan>> got = ner.entitiesAll(texts, a);
                for (int i = 0; i < texts.size(); i++) {
                    JsonNode want = ref.get("cases").get(i).get("spans").get(key);
                    List<EntitySpan> g = got.get(i);
                    assertEquals(want.size(), g.size(), key + " on '" + texts.get(i) + "': " + g);
                    for (int k = 0; k < g.size(); k++) {
                        JsonNode w = want.get(k);
                        EntitySpan e = g.get(k);
                        String where = key + " span " + k + " of '" + texts.get(i) + "'";
                        assertEquals(w.get("label").asText(), e.label(), where);
                        assertEquals(w.get("start").asInt(), e.start(), where);
                        assertEquals(w.get("end").asInt(), e.end(), where);
                        assertEquals(w.get("score").asDouble(), e.score(), TOL, where);
                        assertEquals(texts.get(i).substring(e.start(), e.end()), e.text());
                        if (w.has("index")) {
                            assertEquals(w.get("index").asInt(), e.tokenIndex(), where);
                        }
                        worstLogit = Math.max(worstLogit, Math.abs(w.get("score").asDouble() - e.score()));
                        spans++;
                    }
                }
            }
            System.out.printf("ner on %s: %d spans over 5 strategies match, max score diff %.2e%n", engine, spans, worstLogit);
            assertTrue(spans > 100);
        }
    }

    /** The fixture's Python WordPiece gives the ids the SDK's HF tokenizer gives (so the references are for the same input). */
    @Test
    void fixtureTokenIdsAreTheTokenizers() throws Exception {
        JsonNode ref = reference("tokcls");
        JsonNode seq = reference("seqcls");
        try (Tokenizer t = Tokenizers.create(ModelRepository.resolve("all-minilm-l6-v2").text().tokenizer().path(), 64)) {
            for (JsonNode c : ref.get("cases")) {
                long[] want = new long[c.get("ids").size()];
                for (int k = 0; k < want.length; k++) {
                    want[k] = c.get("ids").get(k).asLong();
                }
                assertArrayEquals(want, t.encode(c.get("text").asText()).ids(), c.get("text").asText());
            }
            for (int i = 0; i < seq.get("pairs").size(); i++) {
                JsonNode pair = seq.get("pairs").get(i);
                Encoding e = t.encodePairs(Arrays.asList(pair.get(0).asText()), Arrays.asList(pair.get(1).asText())).get(0);
                JsonNode ids = seq.get("pairIds").get(i);
                JsonNode types = seq.get("pairTypeIds").get(i);
                assertEquals(ids.size(), e.length());
                for (int k = 0; k < e.length(); k++) {
                    assertEquals(ids.get(k).asLong(), e.ids()[k]);
                    assertEquals(types.get(k).asLong(), e.typeIds()[k]);
                }
            }
        }
    }

    @Test
    void badInputIsNamed() throws Exception {
        Path d = dir("seqcls", "onnx");
        String cfg = new String(Files.readAllBytes(d.resolve("config.json")), StandardCharsets.UTF_8);
        Files.write(d.resolve("config.json"), cfg.replace("\"2\": \"positive\"", "\"2\": \"positive\", \"3\": \"extra\"")
                .replace("\"positive\": 2", "\"positive\": 2, \"extra\": 3").getBytes(StandardCharsets.UTF_8));
        String m = assertThrows(ModelLoadException.class, () -> TextClassifier.load(d, on("onnx"))).getMessage();
        assertTrue(m.contains("id2label") && m.contains("config.json") && m.contains("4 labels") && m.contains("3 columns"), m);

        Path t = dir("tokcls", "onnx");
        String tok = new String(Files.readAllBytes(t.resolve("tokenizer.json")), StandardCharsets.UTF_8);
        int i = tok.indexOf("\"post_processor\"");
        int j = tok.indexOf("\"decoder\"");
        Files.write(t.resolve("tokenizer.json"), (tok.substring(0, i) + "\"post_processor\": null, " + tok.substring(j))
                .getBytes(StandardCharsets.UTF_8));
        Files.copy(d.resolve("model.onnx"), t.resolve("model.onnx"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(dir("seqcls", "djl").resolve("config.json"), t.resolve("config.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (TextClassifier single = TextClassifier.load(t, on("onnx"))) {
            single.probabilities(Arrays.asList("one text is fine"));
            m = assertThrows(InvalidInputException.class,
                    () -> single.pairProbabilities(Arrays.asList("a"), Arrays.asList("b"))).getMessage();
            assertTrue(m.contains("tokenizer.json") && m.contains("post_processor") && m.contains("single-text"), m);
        }
    }
}
