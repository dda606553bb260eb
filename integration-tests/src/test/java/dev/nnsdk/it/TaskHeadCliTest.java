package dev.nnsdk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.repository.ModelRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code classify}, {@code ner}, {@code rerank} and {@code embed --prompt} on hub-style directories of the task-head fixtures. */
class TaskHeadCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path dir(String name) throws Exception {
        Path src = Paths.get(TaskHeadCliTest.class.getResource("/taskheads/" + name).toURI());
        Path d = tmp.resolve(name);
        Files.createDirectories(d.resolve("onnx"));
        Files.copy(src.resolve("config.json"), d.resolve("config.json"));
        Files.copy(src.resolve("model.onnx"), d.resolve("onnx/model.onnx"));
        Files.copy(ModelRepository.resolve("all-minilm-l6-v2").text().tokenizer().path(), d.resolve("tokenizer.json"));
        return d;
    }

    private static JsonNode ref(String name) throws Exception {
        return JSON.readTree(Paths.get(TaskHeadCliTest.class.getResource("/taskheads/" + name + "/reference.json").toURI()).toFile());
    }

    private Path lines(String name, List<String> texts) throws Exception {
        Path p = tmp.resolve(name);
        Files.write(p, texts, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void nerClassifyRerank() throws Exception {
        JsonNode tok = ref("tokcls");
        List<String> texts = new java.util.ArrayList<String>();
        for (JsonNode c : tok.get("cases")) {
            texts.add(c.get("text").asText());
        }
        Path in = lines("texts.txt", texts);
        Path out = tmp.resolve("ner.jsonl");
        CliTest.Result r = CliTest.run("ner", "--model", dir("tokcls"), "--input", in, "--output", out, "--aggregation", "first", "--quiet");
        assertEquals(0, r.code, r.toString());
        List<String> got = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(texts.size(), got.size());
        for (int i = 0; i < texts.size(); i++) {
            JsonNode want = tok.get("cases").get(i).get("spans").get("first");
            JsonNode line = JSON.readTree(got.get(i)).get("entities");
            assertEquals(want.size(), line.size());
            for (int k = 0; k < want.size(); k++) {
                assertEquals(want.get(k).get("label").asText(), line.get(k).get("label").asText());
                assertEquals(want.get(k).get("start").asInt(), line.get(k).get("start").asInt());
                assertEquals(want.get(k).get("end").asInt(), line.get(k).get("end").asInt());
            }
        }

        JsonNode seq = ref("seqcls");
        out = tmp.resolve("labels.jsonl");
        r = CliTest.run("classify", "--model", dir("seqcls"), "--input", in, "--output", out, "--top", "3", "--quiet");
        assertEquals(0, r.code, r.toString());
        got = Files.readAllLines(out, StandardCharsets.UTF_8);
        for (int i = 0; i < got.size(); i++) {
            JsonNode top = JSON.readTree(got.get(i)).get("top");
            for (JsonNode t : top) {
                int k = java.util.Arrays.asList("negative", "neutral", "positive").indexOf(t.get("label").asText());
                assertEquals(seq.get("probabilities").get(i).get(k).asDouble(), t.get("score").asDouble(), 1e-4);
            }
        }
        StringBuilder pairs = new StringBuilder();
        for (JsonNode p : seq.get("pairs")) {
            pairs.append(JSON.writeValueAsString(JSON.createObjectNode().put("text", p.get(0).asText())
                    .put("text_pair", p.get(1).asText()))).append('\n');
        }
        Path pin = tmp.resolve("pairs.jsonl");
        Files.write(pin, pairs.toString().getBytes(StandardCharsets.UTF_8));
        out = tmp.resolve("pairs-out.jsonl");
        r = CliTest.run("classify", "--model", tmp.resolve("seqcls"), "--pairs", "--input", pin, "--output", out, "--quiet");
        assertEquals(0, r.code, r.toString());
        got = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(seq.get("pairs").size(), got.size());
        for (int i = 0; i < got.size(); i++) {
            JsonNode best = JSON.readTree(got.get(i));
            int k = java.util.Arrays.asList("negative", "neutral", "positive").indexOf(best.get("label").asText());
            assertEquals(seq.get("pairProbabilities").get(i).get(k).asDouble(), best.get("score").asDouble(), 1e-4);
        }

        JsonNode ce = ref("crossenc");
        List<String> passages = new java.util.ArrayList<String>();
        for (JsonNode p : ce.get("passages")) {
            passages.add(p.asText());
        }
        out = tmp.resolve("best.jsonl");
        r = CliTest.run("rerank", "--model", dir("crossenc"), "--query", ce.get("query").asText(), "--input",
                lines("passages.txt", passages), "--output", out, "--top", "2");
        assertEquals(0, r.code, r.toString());
        got = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(2, got.size());
        assertEquals(ce.get("order").get(0).asInt(), JSON.readTree(got.get(0)).get("index").asInt());
        assertEquals(ce.get("order").get(1).asInt(), JSON.readTree(got.get(1)).get("index").asInt());

        out = tmp.resolve("wrong.jsonl");
        r = CliTest.run("ner", "--model", tmp.resolve("crossenc"), "--input", in, "--output", out, "--quiet");
        assertFalse(r.code == 0);
        assertTrue(r.err.contains("text-ranking") && r.err.contains("token-classification"), r.toString());
        assertFalse(Files.exists(out), "no half-written output");
    }

    @Test
    void embedWithPrompts() throws Exception {
        Path in = lines("q.txt", java.util.Arrays.asList("how do cats sleep"));
        Path q = tmp.resolve("q.jsonl");
        Path plain = tmp.resolve("plain.jsonl");
        assertEquals(0, CliTest.run("embed", "--model", "e5-small-v2", "--prompt", "query", "--input", in, "--output", q, "--quiet").code);
        assertEquals(0, CliTest.run("embed", "--model", "e5-small-v2", "--input", in, "--output", plain, "--quiet").code);
        assertFalse(Files.readAllLines(q).get(0).equals(Files.readAllLines(plain).get(0)), "the query prompt changes the vector");
        CliTest.Result r = CliTest.run("embed", "--model", "e5-small-v2", "--prompt", "passage", "--input", in, "--output", tmp.resolve("x.jsonl"));
        assertTrue(r.code != 0 && r.err.contains("--prompt"), r.toString());
    }
}
