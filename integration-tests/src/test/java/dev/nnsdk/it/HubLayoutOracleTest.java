package dev.nnsdk.it;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15.BgeSmallEnV15EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.e5smallv2.E5SmallV2EmbeddingModel;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.inference.TextEmbedder;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;
import dev.nnsdk.repository.TextSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bge-small-en-v1.5 and e5-small-v2 brought as their hubs ship them (no model.json): the sentence-transformers and
 * Hugging Face config files (test resources {@code hub/}, the hub's own contents) plus {@code tokenizer.json} and
 * {@code onnx/model.onnx} (or {@code onnx/model_quantized.onnx}) taken from the LangChain4j jars. Oracle: LangChain4j's
 * {@code BgeSmallEnV15EmbeddingModel} / {@code E5SmallV2EmbeddingModel}, an independent pipeline (its own pooling
 * constant per model). Texts are at most ~100 word pieces, below LangChain4j's 510-token splitting; it refuses blank
 * text, so the blank entries of {@link TestTexts#VARIED} are left out.
 */
class HubLayoutOracleTest {

    @TempDir
    Path tmp;

    @Test
    void bgeFromHubLayoutMatchesLangChain4j() throws Exception {
        Path dir = hubDir("bge-small-en-v1.5", "bge-small-en-v1.5", "onnx/model.onnx");
        try (TextEmbedder sdk = TextEmbedder.load(dir)) {
            TextSpec t = sdk.descriptor().text();
            assertEquals(TextSpec.Pooling.CLS, t.pooling(), "1_Pooling/config.json says CLS");
            assertEquals(512, t.maxLength());
            assertTrue(t.normalize() && t.lowerCase() && !t.dynamicQuantized());
            agree(sdk, new BgeSmallEnV15EmbeddingModel(), "bge-small-en-v1.5");
        }
    }

    @Test
    void e5FromHubLayoutMatchesLangChain4j() throws Exception {
        Path dir = hubDir("e5-small-v2", "e5-small-v2", "onnx/model.onnx");
        try (TextEmbedder sdk = TextEmbedder.load(dir)) {
            assertEquals(TextSpec.Pooling.MEAN, sdk.descriptor().text().pooling());
            agree(sdk, new E5SmallV2EmbeddingModel(), "e5-small-v2");
        }
    }

    /** The zoo's e5 puts "query: " / "passage: " before texts; LangChain4j is given the prefixed text. */
    @Test
    void e5QueryAndDocumentPrompts() {
        EmbeddingModel oracle = new E5SmallV2EmbeddingModel();
        try (TextEmbedder e5 = TextEmbedder.load("e5-small-v2")) {
            String q = "how long do cats sleep a day";
            String doc = "Cats sleep between twelve and sixteen hours a day.";
            double cq = TestTexts.cosine(e5.embedQuery(q), oracle.embed("query: " + q).content().vector());
            double cd = TestTexts.cosine(e5.embedDocuments(java.util.Collections.singletonList(doc)).get(0),
                    oracle.embed("passage: " + doc).content().vector());
            System.out.printf("e5 prompts: query cosine %.7f, document cosine %.7f%n", cq, cd);
            assertTrue(cq >= 0.9999 && cd >= 0.9999, cq + " " + cd);
            assertTrue(TestTexts.cosine(e5.embedQuery(q), e5.embed(q)) < 0.999, "the prompt changes the vector");
        }
    }

    @Test
    void int8TwinsAreBatchIndependent() throws Exception {
        for (String[] m : new String[][] {{"bge-small-en-v1.5", "bge-small-en-v1.5-int8"}, {"e5-small-v2", "e5-small-v2-int8"}}) {
            Path dir = hubDir(m[0], m[1], "onnx/model_quantized.onnx");
            try (TextEmbedder sdk = TextEmbedder.load(dir)) {
                assertTrue(sdk.descriptor().text().dynamicQuantized(), "detected from the graph: " + sdk.descriptor().description());
                assertEquals(1, sdk.descriptor().text().maxBatchSize());
                List<String> texts = texts();
                List<float[]> batched = sdk.embedAll(texts);             // default batching
                double worst = 1;
                for (int i = 0; i < texts.size(); i++) {
                    worst = Math.min(worst, TestTexts.cosine(batched.get(i), sdk.embed(texts.get(i))));
                }
                System.out.printf("%s int8 (hub layout): default batching vs one text per call, worst cosine %.7f on %d texts%n",
                        m[1], worst, texts.size());
                assertTrue(worst >= 0.9999, "worst " + worst);
            }
        }
    }

    /** With both files in onnx/, the directory's default is the fp32 model.onnx; naming the file picks the other. */
    @Test
    void onnxFolderDefaultAndNamedFile() throws Exception {
        Path dir = hubDir("e5-small-v2", "e5-small-v2", "onnx/model.onnx");
        Files.createSymbolicLink(dir.resolve("onnx/model_quantized.onnx"), zooFile("e5-small-v2-int8", true));
        ModelDescriptor d = ModelRepository.resolve(dir);
        assertTrue(d.artifacts().get(ModelFormat.ONNX).path().endsWith("onnx/model.onnx"));
        assertFalse(d.text().dynamicQuantized());
        ModelDescriptor q = ModelRepository.resolve(dir.resolve("onnx/model_quantized.onnx"));
        assertTrue(q.text().dynamicQuantized());
        assertEquals(TextSpec.Pooling.MEAN, q.text().pooling(), "hub files found from onnx/: " + q.description());
    }

    private void agree(TextEmbedder sdk, EmbeddingModel oracle, String name) {
        List<String> texts = texts();
        List<TextSegment> segs = new ArrayList<TextSegment>();
        for (String s : texts) {
            segs.add(TextSegment.from(s));
        }
        List<dev.langchain4j.data.embedding.Embedding> ref = oracle.embedAll(segs).content();
        List<float[]> got = sdk.embedAll(texts);
        double worst = 1;
        for (int i = 0; i < texts.size(); i++) {
            worst = Math.min(worst, TestTexts.cosine(got.get(i), ref.get(i).vector()));
        }
        System.out.printf("%s from hub layout vs LangChain4j: worst cosine %.7f on %d texts%n", name, worst, texts.size());
        assertTrue(texts.size() >= 50);
        assertTrue(worst >= 0.9999, "worst cosine " + worst);
    }

    static List<String> texts() {
        List<String> out = new ArrayList<String>();
        for (String s : TestTexts.VARIED) {
            if (!s.trim().isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** Copies test resource hub/NAME into a temp dir and links tokenizer.json and the ONNX file from the zoo's cache. */
    private Path hubDir(String name, String zooId, String onnxRel) throws IOException, URISyntaxException {
        Path src = Paths.get(HubLayoutOracleTest.class.getResource("/hub/" + name).toURI());
        Path dir = tmp.resolve(zooId);
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
        Files.createDirectories(dir.resolve("onnx"));
        Files.createSymbolicLink(dir.resolve(onnxRel), zooFile(zooId, true));
        Files.createSymbolicLink(dir.resolve("tokenizer.json"), zooFile(zooId, false));
        return dir;
    }

    private static Path zooFile(String zooId, boolean model) {
        ModelDescriptor d = ModelRepository.resolve(zooId);
        return model ? d.artifacts().get(ModelFormat.ONNX).path() : d.text().tokenizer().path();
    }
}
