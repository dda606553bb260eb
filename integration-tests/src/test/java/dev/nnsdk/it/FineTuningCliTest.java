package dev.nnsdk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.cli.Cli;
import dev.nnsdk.training.data.TextDataset;
import dev.nnsdk.training.data.TextExample;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The finetune / evaluate / predict commands on real reviews, and every bad input the issue lists. */
class FineTuningCliTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void data() {
        if (TextFineTuningTest.train == null) {
            TextFineTuningTest.sample();
        }
    }

    /** Exit code, stdout and stderr of one CLI run. */
    static final class Run {
        int code;
        String out;
        String err;

        String lastLine() {
            String[] lines = out.trim().split("\n");
            return lines[lines.length - 1];
        }
    }

    static Run cli(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Run r = new Run();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            r.code = Cli.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        r.out = out.toString(StandardCharsets.UTF_8);
        r.err = err.toString(StandardCharsets.UTF_8);
        return r;
    }

    static Path jsonl(Path file, List<TextExample> examples) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (TextExample e : examples) {
            sb.append(JSON.writeValueAsString(java.util.Map.of("text", e.text(), "label", e.label()))).append('\n');
        }
        Files.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
        return file;
    }

    @Test
    void finetuneEvaluatePredict(@TempDir Path tmp) throws IOException {
        Path train = jsonl(tmp.resolve("train.jsonl"), TextFineTuningTest.train.examples());
        Path test = jsonl(tmp.resolve("test.jsonl"), TextFineTuningTest.test.examples().subList(0, 40));
        Path model = tmp.resolve("model");
        Run ft = cli("finetune", "--task", "text-classification", "--backbone", "all-minilm-l6-v2", "--engine", "onnx",
                "--train", train.toString(), "--output", model.toString(), "--epochs", "30", "--lr", "0.05", "--seed", "42", "--quiet");
        assertEquals(0, ft.code, ft.err);
        JsonNode m = JSON.readTree(ft.lastLine());
        assertTrue(m.get("accuracy").asDouble() > 0.6, ft.lastLine());
        assertTrue(m.has("macro_f1"));
        assertFalse(Files.exists(tmp.resolve("model.checkpoint")), "checkpoint removed after a successful save");

        Run ev = cli("evaluate", "--model", model.toString(), "--data", test.toString());
        assertEquals(0, ev.code, ev.err);
        JsonNode e = JSON.readTree(ev.lastLine());
        assertEquals(40, e.get("examples").asInt());
        assertTrue(e.get("accuracy").asDouble() >= 0.7, ev.lastLine());
        // Issue 15 item 5: evaluate is not silent (it ran 128 s on djl with nothing on stderr): its progress is there.
        assertTrue(ev.err.contains("embed evaluate") && ev.err.contains("40/40"), "evaluate progress on stderr: " + ev.err);

        Path out = tmp.resolve("pred.jsonl");
        Run pr = cli("predict", "--model", model.toString(), "--input", test.toString(), "--output", out.toString(), "--quiet");
        assertEquals(0, pr.code, pr.err);
        List<String> lines = Files.readAllLines(out);
        assertEquals(40, lines.size());
        JsonNode p = JSON.readTree(lines.get(0));
        assertTrue(p.get("label").isTextual());
        assertEquals(2, p.get("top").size());
        assertEquals(p.get("label").asText(), p.get("top").get(0).get("label").asText());
        assertEquals(p.get("score").asDouble(), p.get("top").get(0).get("score").asDouble(), 0);

        Run again = cli("finetune", "--task", "text-classification", "--train", train.toString(), "--output",
                model.toString(), "--quiet");
        assertEquals(1, again.code);
        assertTrue(again.err.contains("already exists") && again.err.contains("--overwrite"), again.err);
    }

    @Test
    void emptyDatasetIsRefused(@TempDir Path tmp) throws IOException {
        Path f = Files.write(tmp.resolve("empty.jsonl"), new byte[0]);
        Run r = cli("finetune", "--task", "text-classification", "--train", f.toString(), "--output", tmp.resolve("o").toString());
        assertEquals(1, r.code);
        assertTrue(r.err.contains(f.toString()) && r.err.contains("no examples"), r.err);
    }

    @Test
    void singleClassIsRefused(@TempDir Path tmp) throws IOException {
        Path f = Files.write(tmp.resolve("one.csv"), "text,label\ngood film,positive\n\"great, really\",positive\n"
                .getBytes(StandardCharsets.UTF_8));
        Run r = cli("finetune", "--task", "text-classification", "--train", f.toString(), "--output", tmp.resolve("o").toString());
        assertEquals(1, r.code);
        assertTrue(r.err.contains("single class 'positive'"), r.err);
    }

    @Test
    void missingLabelNamesFileLineAndField(@TempDir Path tmp) throws IOException {
        Path f = Files.write(tmp.resolve("bad.jsonl"), ("{\"text\":\"a\",\"label\":\"x\"}\n{\"text\":\"b\",\"label\":\"y\"}\n"
                + "{\"text\":\"c\"}\n").getBytes(StandardCharsets.UTF_8));
        Run r = cli("finetune", "--task", "text-classification", "--train", f.toString(), "--output", tmp.resolve("o").toString());
        assertEquals(1, r.code);
        assertTrue(r.err.contains(f + ": line 3 has no field 'label'"), r.err);
        Path csv = Files.write(tmp.resolve("bad.csv"), "text,label\na,x\nb,\n".getBytes(StandardCharsets.UTF_8));
        r = cli("finetune", "--task", "text-classification", "--train", csv.toString(), "--output", tmp.resolve("o").toString());
        assertEquals(1, r.code);
        assertTrue(r.err.contains(csv + ": line 3 has no field 'label'"), r.err);
    }

    @Test
    void nanLossStopsWithClearMessage(@TempDir Path tmp) throws IOException {
        List<TextExample> few = new ArrayList<TextExample>(TextFineTuningTest.train.stratifiedSample(8, 1).examples());
        Path f = jsonl(tmp.resolve("few.jsonl"), few);
        Path out = tmp.resolve("o");
        Run r = cli("finetune", "--task", "text-classification", "--train", f.toString(), "--output", out.toString(),
                "--valid", f.toString(), "--lr", "1e38", "--solver", "sgd", "--optimizer", "sgd", "--schedule", "constant", "--batch-size", "2",
                "--quiet");
        assertEquals(1, r.code);
        assertTrue(r.err.contains("loss became"), r.err);
        assertFalse(Files.exists(out), "no model directory after a failed run");
    }

    @Test
    void unknownTaskNamesTheTasksThereAre(@TempDir Path tmp) {
        Run r = cli("finetune", "--task", "audio-classification", "--train", tmp.toString(), "--output", tmp.resolve("o").toString());
        assertEquals(1, r.code);
        assertTrue(r.err.contains("audio-classification") && r.err.contains("image-classification"), r.err);
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    static TextDataset unused() {
        return null;
    }
}
