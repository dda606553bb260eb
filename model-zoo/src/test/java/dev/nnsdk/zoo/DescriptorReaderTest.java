package dev.nnsdk.zoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.ModelLoadException;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.TextSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DescriptorReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHA = "759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e";

    @TempDir
    Path dir;

    private ModelDescriptor read(String json) throws Exception {
        Path file = dir.resolve("model.json");
        Files.write(file, json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
        return ZooResolver.readDescriptorFile(file);
    }

    private String error(String json) {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> read(json));
        assertTrue(e.getMessage().contains(dir.resolve("model.json").toString()), "names the file: " + e.getMessage());
        return e.getMessage();
    }

    private static String textModel(String artifact, String text) {
        return "{'id': 'mine', 'task': 'text-embedding', 'artifacts': {'onnx': " + artifact + "}, 'text': " + text + "}";
    }

    @Test
    void readsAValidDescriptorWithPathsRelativeToItsDirectory() throws Exception {
        ModelDescriptor d = read(textModel("{'source': 'sub/model.onnx', 'sha256': '" + SHA.toUpperCase() + "'}",
                "{'tokenizer': 'tokenizer.json', 'maxLength': 128, 'pooling': 'cls', 'normalize': false}"));
        assertEquals("mine", d.id());
        assertEquals(dir.resolve("sub/model.onnx"), d.artifacts().get(ModelFormat.ONNX).path());
        assertEquals(SHA, d.artifacts().get(ModelFormat.ONNX).sha256());
        assertEquals(128, d.text().maxLength());
        assertEquals(TextSpec.Pooling.CLS, d.text().pooling());
        assertEquals(dir.resolve("tokenizer.json"), d.text().tokenizer().path());
        assertNull(d.text().tokenizer().sha256());
        assertEquals(0, d.text().maxBatchSize());
        assertEquals(1, read(textModel("'m.onnx'", "{'tokenizer': 'tokenizer.json', 'maxBatchSize': 1}")).text().maxBatchSize());
        assertEquals(1, new ZooResolver().resolve("all-minilm-l6-v2-int8").text().maxBatchSize());
    }

    @Test
    void missingFieldIsNamed() {
        String m = error("{'task': 'text-embedding', 'artifacts': {'onnx': 'm.onnx'}}");
        assertTrue(m.contains("field 'id'") && m.contains("missing"), m);
        m = error("{'id': 'x', 'task': 'text-embedding'}");
        assertTrue(m.contains("field 'artifacts'") && m.contains("missing"), m);
        m = error("{'id': 'x', 'task': 'text-embedding', 'artifacts': {'onnx': {'sha256': '" + SHA + "'}}}");
        assertTrue(m.contains("field 'artifacts.onnx.source'") && m.contains("missing"), m);
        m = error(textModel("'m.onnx'", "{'maxLength': 128}"));
        assertTrue(m.contains("field 'text.tokenizer'") && m.contains("missing"), m);
    }

    @Test
    void wrongTypeIsNamed() {
        String m = error("{'id': 5, 'task': 'text-embedding', 'artifacts': {'onnx': 'm.onnx'}}");
        assertTrue(m.contains("field 'id'") && m.contains("must be a string, not number"), m);
        m = error(textModel("'m.onnx'", "{'tokenizer': 'tokenizer.json', 'maxLength': '256'}"));
        assertTrue(m.contains("field 'text.maxLength'") && m.contains("must be an integer"), m);
        m = error(textModel("'m.onnx'", "{'tokenizer': 'tokenizer.json', 'maxLength': 1.5}"));
        assertTrue(m.contains("field 'text.maxLength'"), m);
        m = error("{'id': 'x', 'task': 'text-embedding', 'artifacts': {'onnx': 'm.onnx'}, 'inputs': 'input_ids'}");
        assertTrue(m.contains("field 'inputs'") && m.contains("array of strings"), m);
        m = error(textModel("'m.onnx'", "{'tokenizer': 'tokenizer.json', 'maxBatchSize': -1}"));
        assertTrue(m.contains("field 'text'") && m.contains("maxBatchSize"), m);
        m = error(textModel("'m.onnx'", "{'tokenizer': 'tokenizer.json', 'pooling': 'maximum'}"));
        assertTrue(m.contains("field 'text.pooling'") && m.contains("maximum") && m.contains("mean-sqrt-len"), m);
        m = error("{'id': 'x', 'task': 'text-embedding', 'artifacts': {'tflite': 'm.tflite'}}");
        assertTrue(m.contains("field 'artifacts.tflite'"), m);
    }

    @Test
    void badShaFormatIsNamed() {
        String m = error(textModel("{'source': 'm.onnx', 'sha256': 'abc123'}", "{'tokenizer': 'tokenizer.json'}"));
        assertTrue(m.contains("field 'artifacts.onnx.sha256'") && m.contains("64 hex digits") && m.contains("abc123"), m);
        m = error(textModel("'m.onnx'", "{'tokenizer': {'source': 'tokenizer.json', 'sha256': '" + SHA.replace('7', 'g') + "'}}"));
        assertTrue(m.contains("field 'text.tokenizer.sha256'"), m);
    }

    @Test
    void pathsEscapingTheDirectoryAreRefused() {
        String m = error(textModel("'../elsewhere/model.onnx'", "{'tokenizer': 'tokenizer.json'}"));
        assertTrue(m.contains("field 'artifacts.onnx.source'") && m.contains("outside the model directory"), m);
        m = error(textModel("'/etc/model.onnx'", "{'tokenizer': 'tokenizer.json'}"));
        assertTrue(m.contains("outside the model directory"), m);
        m = error(textModel("'m.onnx'", "{'tokenizer': 'a/../../tokenizer.json'}"));
        assertTrue(m.contains("field 'text.tokenizer.source'") && m.contains("outside"), m);
    }

    @Test
    void invalidJsonNamesTheLine() throws Exception {
        Path file = dir.resolve("model.json");
        Files.write(file, "{\n  \"id\": \"x\",\n  \"task\": oops\n}\n".getBytes(StandardCharsets.UTF_8));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ZooResolver.readDescriptorFile(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void catalogEntriesAllRead() {
        ZooResolver r = new ZooResolver();
        assertTrue(r.ids().contains("all-minilm-l6-v2") && r.ids().contains("all-minilm-l6-v2-int8"), r.ids().toString());
        JsonNode notAnObject = JSON.getNodeFactory().textNode("x");
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> new DescriptorReader("Catalog entry 'x'", null).read(notAnObject));
        assertTrue(e.getMessage().startsWith("Catalog entry 'x'"), e.getMessage());
    }
}
