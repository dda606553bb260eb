package dev.nnsdk.zoo;

import dev.nnsdk.ModelLoadException;
import dev.nnsdk.format.OnnxOps;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.TextSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hub layouts read by {@link dev.nnsdk.zoo.hub.HubLayout} through {@link ZooResolver}: what each file and field
 * changes, and the error for each unreadable or contradictory config (naming file and field). The model file is the
 * repository's tiny ResNet fixture (only its graph is read here, never run) beside MiniLM's real tokenizer.json.
 */
class HubLayoutTest {

    @TempDir
    Path dir;
    private final ZooResolver resolver = new ZooResolver();

    @BeforeEach
    void layout() throws IOException {
        Files.createDirectories(dir.resolve("onnx"));
        Files.copy(ArtifactCache.extract("dev/nnsdk/zoo/fixtures/resnet-tiny/model.onnx",
                "9b0c78e2a3290d7c5038eb29b042ef3b65dbf22ce55ba42a0189ba09f39bd1de"), dir.resolve("onnx/model.onnx"));
        Files.copy(ArtifactCache.extract("all-minilm-l6-v2-tokenizer.json",
                "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0"), dir.resolve("tokenizer.json"));
        write("config.json", "{\"architectures\": [\"BertModel\"], \"model_type\": \"bert\", \"max_position_embeddings\": 512}");
    }

    private void write(String rel, String json) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, json.getBytes(StandardCharsets.UTF_8));
    }

    private void sentenceTransformers(String poolingConfig) throws IOException {
        write("modules.json", "[{\"idx\":0,\"name\":\"0\",\"path\":\"\",\"type\":\"sentence_transformers.models.Transformer\"},"
                + "{\"idx\":1,\"name\":\"1\",\"path\":\"1_Pooling\",\"type\":\"sentence_transformers.models.Pooling\"},"
                + "{\"idx\":2,\"name\":\"2\",\"path\":\"2_Normalize\",\"type\":\"sentence_transformers.models.Normalize\"}]");
        write("1_Pooling/config.json", poolingConfig);
    }

    private String error() {
        return assertThrows(ModelLoadException.class, () -> resolver.resolve(dir)).getMessage();
    }

    @Test
    void plainDirectoryIsMeanPoolingAndSaysSo() {
        ModelDescriptor d = resolver.resolve(dir);
        assertEquals(TextSpec.Pooling.MEAN, d.text().pooling());
        assertTrue(d.text().normalize());
        assertEquals(512, d.text().maxLength(), "from max_position_embeddings");
        assertTrue(d.description().contains("mean pooling and L2 normalisation assumed"), d.description());
    }

    @Test
    void sentenceTransformersFilesDecide() throws IOException {
        sentenceTransformers("{\"pooling_mode_cls_token\": false, \"pooling_mode_max_tokens\": true}");
        write("modules.json", "[{\"idx\":0,\"name\":\"0\",\"path\":\"\",\"type\":\"sentence_transformers.models.Transformer\"},"
                + "{\"idx\":1,\"name\":\"1\",\"path\":\"1_Pooling\",\"type\":\"sentence_transformers.models.Pooling\"}]");
        write("sentence_bert_config.json", "{\"max_seq_length\": 384, \"do_lower_case\": true}");
        write("config_sentence_transformers.json", "{\"prompts\": {\"query\": \"query: \", \"passage\": \"passage: \"},"
                + " \"default_prompt_name\": null, \"similarity_fn_name\": \"cosine\"}");
        ModelDescriptor d = resolver.resolve(dir);
        TextSpec t = d.text();
        assertEquals(TextSpec.Pooling.MAX, t.pooling());
        assertFalse(t.normalize(), "no Normalize module");
        assertEquals(384, t.maxLength());
        assertTrue(t.lowerCase());
        assertEquals("query: ", t.queryPrompt());
        assertEquals("passage: ", t.documentPrompt());
    }

    @Test
    void partialModelJsonOverridesTheHubFiles() throws IOException {
        sentenceTransformers("{\"pooling_mode_cls_token\": true}");
        write("model.json", "{\"text\": {\"pooling\": \"mean-sqrt-len\", \"prompts\": {\"query\": \"Q: \"}}}");
        TextSpec t = resolver.resolve(dir).text();
        assertEquals(TextSpec.Pooling.MEAN_SQRT_LEN, t.pooling());
        assertEquals("Q: ", t.queryPrompt());
        assertTrue(t.normalize(), "kept from modules.json");
    }

    @Test
    void maxLengthAbovePositionLimitIsRefused() throws IOException {
        write("sentence_bert_config.json", "{\"max_seq_length\": 1024}");
        String m = error();
        assertTrue(m.contains("sentence_bert_config.json") && m.contains("max_seq_length") && m.contains("512"), m);
        Files.delete(dir.resolve("sentence_bert_config.json"));
        write("model.json", "{\"text\": {\"maxLength\": 2048}}");
        m = error();
        assertTrue(m.contains("model.json") && m.contains("text.maxLength") && m.contains("position limit 512"), m);
    }

    @Test
    void longModelsKeepTheirLength() throws IOException {
        write("config.json", "{\"model_type\": \"bert\", \"max_position_embeddings\": 8192}");
        write("tokenizer_config.json", "{\"model_max_length\": 1000000000000000019884624838656}");
        assertEquals(8192, resolver.resolve(dir).text().maxLength(), "no silent 512 cap");
        write("config.json", "{\"model_type\": \"xlm-roberta\", \"max_position_embeddings\": 514}");
        assertEquals(512, resolver.resolve(dir).text().maxLength(), "roberta positions start at 2");
    }

    @Test
    void unknownOrAmbiguousPoolingIsRefused() throws IOException {
        sentenceTransformers("{\"pooling_mode_cls_token\": false, \"pooling_mode_fancy_tokens\": true}");
        String m = error();
        assertTrue(m.contains("1_Pooling/config.json") && m.contains("pooling_mode_fancy_tokens"), m);
        write("1_Pooling/config.json", "{\"pooling_mode_cls_token\": true, \"pooling_mode_mean_tokens\": true}");
        m = error();
        assertTrue(m.contains("1_Pooling/config.json") && m.contains("several pooling modes"), m);
        write("1_Pooling/config.json", "{\"pooling_mode_cls_token\": false}");
        assertTrue(error().contains("no pooling mode"));
        write("1_Pooling/config.json", "{\"pooling_mode_cls_token\": \"yes\"}");
        m = error();
        assertTrue(m.contains("pooling_mode_cls_token") && m.contains("true or false"), m);
        Files.delete(dir.resolve("1_Pooling/config.json"));
        m = error();
        assertTrue(m.contains("1_Pooling/config.json") && m.contains("is missing"), m);
    }

    @Test
    void unsupportedModuleIsRefused() throws IOException {
        write("modules.json", "[{\"idx\":0,\"name\":\"0\",\"path\":\"\",\"type\":\"sentence_transformers.models.Transformer\"},"
                + "{\"idx\":1,\"name\":\"1\",\"path\":\"2_Dense\",\"type\":\"sentence_transformers.models.Dense\"}]");
        String m = error();
        assertTrue(m.contains("modules.json") && m.contains("[1].type") && m.contains("Dense"), m);
    }

    @Test
    void tokenizerWithoutTheModelsSpecialTokensIsRefused() throws IOException {
        write("special_tokens_map.json", "{\"cls_token\": \"<s>\", \"sep_token\": \"</s>\"}");
        String m = error();
        assertTrue(m.contains("special_tokens_map.json") && m.contains("cls_token") && m.contains("<s>"), m);
        write("special_tokens_map.json", "{\"cls_token\": {\"content\": \"[CLS]\"}, \"sep_token\": \"[SEP]\"}");
        resolver.resolve(dir);
        String tok = new String(Files.readAllBytes(dir.resolve("tokenizer.json")), StandardCharsets.UTF_8);
        int i = tok.indexOf("\"post_processor\"");
        int j = tok.indexOf("\"decoder\"");
        Files.write(dir.resolve("tokenizer.json"), (tok.substring(0, i) + "\"post_processor\": null, " + tok.substring(j))
                .getBytes(StandardCharsets.UTF_8));
        sentenceTransformers("{\"pooling_mode_cls_token\": true}");
        m = error();
        assertTrue(m.contains("tokenizer.json") && m.contains("post_processor"), m);
    }

    @Test
    void directoryWithoutTokenizerListsWhatItHas() throws IOException {
        Files.delete(dir.resolve("tokenizer.json"));
        String m = error();
        assertTrue(m.contains("no tokenizer.json") && m.contains("config.json") && m.contains("onnx/"), m);
    }

    @Test
    void severalOnnxFilesNeedAName() throws IOException {
        Files.move(dir.resolve("onnx/model.onnx"), dir.resolve("onnx/model_fp16.onnx"));
        Files.copy(dir.resolve("onnx/model_fp16.onnx"), dir.resolve("onnx/model_int8.onnx"));
        String m = error();
        assertTrue(m.contains("model_fp16.onnx") && m.contains("model_int8.onnx") && m.contains("name the one"), m);
        ModelDescriptor d = resolver.resolve(dir.resolve("onnx/model_int8.onnx"));
        assertTrue(d.artifacts().values().iterator().next().path().endsWith("onnx/model_int8.onnx"));
    }

    @Test
    void taskHeadArchitectureIsNamed() throws IOException {
        write("config.json", "{\"architectures\": [\"BertForQuestionAnswering\"], \"max_position_embeddings\": 512}");
        String m = error();
        assertTrue(m.contains("config.json") && m.contains("architectures") && m.contains("ForQuestionAnswering"), m);
        write("config.json", "{\"architectures\": [\"BertForTokenClassification\"], \"max_position_embeddings\": 512}");
        m = error();
        assertTrue(m.contains("config.json") && m.contains("id2label") && m.contains("ForTokenClassification"), m);
        write("config.json", "{\"architectures\": [\"BertForTokenClassification\"], \"num_labels\": 3, "
                + "\"id2label\": {\"0\": \"O\", \"1\": \"B-PER\"}}");
        m = error();
        assertTrue(m.contains("config.json") && m.contains("id2label") && m.contains("num_labels is 3"), m);
        write("config.json", "{\"architectures\": [\"BertForTokenClassification\"], \"id2label\": {\"0\": \"O\", \"2\": \"B-PER\"}}");
        m = error();
        assertTrue(m.contains("id2label") && m.contains("no entry for class 1"), m);
        write("config.json", "{\"architectures\": [\"BertForSequenceClassification\"], \"problem_type\": "
                + "\"multi_label_classification\", \"id2label\": {\"0\": \"a\", \"1\": \"b\"}}");
        ModelDescriptor d = resolver.resolve(dir);
        assertEquals(ModelDescriptor.TEXT_CLASSIFICATION, d.task());
        assertEquals(java.util.Arrays.asList("a", "b"), d.text().labels());
        assertEquals(TextSpec.Activation.SIGMOID, d.text().activation());
        write("config.json", "{\"architectures\": [\"BertForSequenceClassification\"], \"id2label\": {\"0\": \"LABEL_0\"}}");
        assertEquals(ModelDescriptor.TEXT_RANKING, resolver.resolve(dir).task(), "one logit: a cross-encoder");
    }

    @Test
    void badJsonNamesFileAndLine() throws IOException {
        write("sentence_bert_config.json", "{\n \"max_seq_length\": 256,\n}");
        String m = error();
        assertTrue(m.contains("sentence_bert_config.json") && m.contains("line 3"), m);
    }

    @Test
    void dynamicQuantisationIsReadFromTheGraph() {
        assertTrue(OnnxOps.isDynamicallyQuantized(ArtifactCache.extract("all-minilm-l6-v2-q.onnx",
                "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1")));
        assertFalse(OnnxOps.isDynamicallyQuantized(dir.resolve("onnx/model.onnx")));
        assertTrue(OnnxOps.opTypes(dir.resolve("onnx/model.onnx")).contains("Conv"));
        assertThrows(IllegalArgumentException.class, () -> OnnxOps.opTypes(dir.resolve("tokenizer.json")));
    }
}
