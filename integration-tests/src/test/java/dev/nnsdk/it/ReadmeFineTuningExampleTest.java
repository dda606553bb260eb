package dev.nnsdk.it;

import dev.nnsdk.ModelOptions;
import dev.nnsdk.training.Evaluation;
import dev.nnsdk.training.TrainedTextClassifier;
import dev.nnsdk.training.config.TrainingConfig;
import dev.nnsdk.training.data.TextDataset;
import dev.nnsdk.training.head.Head;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 item 9: the README's fine-tuning example, as written. The ```java block of README.md that calls
 * {@code FineTuning.textClassification()} is compiled as it stands (wrapped in a {@code main}) and run twice in a child
 * JVM whose working directory holds a {@code train.jsonl} of real IMDB reviews (the 400 of {@link TextFineTuningTest}):
 * both runs must succeed (the second replaces the first run's output, as the README says), and the model it saves
 * must be no worse on the 200 held-out reviews than the SDK's tuned linear head (L-BFGS, {@code --head linear}) fitted in this JVM, and
 * than the heads the README used to show: the linear head trained by mini-batch epochs, and the MLP head that
 * overfitted (0.72 against 0.745 on 1,000 reviews in the issue; on these 400 reviews it ties).
 */
class ReadmeFineTuningExampleTest {

    @BeforeAll
    static void data() {
        if (TextFineTuningTest.train == null) {
            TextFineTuningTest.sample();
        }
    }

    /** The README's fine-tuning block (the first ```java block calling {@code FineTuning.textClassification()}). */
    static String readmeFineTuningBlock() throws Exception {
        Path readme = Path.of("..", "README.md");
        assertTrue(Files.isRegularFile(readme), "README.md beside the module: " + readme.toAbsolutePath());
        Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(readme));
        while (m.find()) {
            if (m.group(1).contains("FineTuning.textClassification()")) {
                return m.group(1);
            }
        }
        throw new AssertionError("README.md has no ```java block calling FineTuning.textClassification()");
    }

    @Test
    void readmeExampleRunsTwiceAndTrainsTheBestHead(@TempDir Path tmp) throws Exception {
        String block = readmeFineTuningBlock();
        FineTuningCliTest.jsonl(tmp.resolve("train.jsonl"), TextFineTuningTest.train.examples());
        assertTrue(block.contains("Path.of(\"train.jsonl\")") && block.contains("Path.of(\"out/sentiment\")"),
                "the README example reads train.jsonl and writes out/sentiment:\n" + block);

        // The block's last statement classifies a text with the saved model; print that answer so the run shows it.
        Matcher classify = Pattern.compile("Classification (\\w+) = \\w+\\.classify\\([^;]*\\);").matcher(block);
        assertTrue(classify.find(), "the README example classifies a text with the saved model:\n" + block);
        String body = block.substring(0, classify.end()) + " System.out.println(\"README example: \" + "
                + classify.group(1) + ");" + block.substring(classify.end());
        String source = "import dev.nnsdk.*;\nimport dev.nnsdk.inference.*;\nimport dev.nnsdk.training.*;\n"
                + "import dev.nnsdk.training.config.*;\nimport dev.nnsdk.training.data.*;\nimport dev.nnsdk.training.head.*;\n"
                + "import java.nio.file.Path;\nimport java.util.List;\n\n"
                + "public class ReadmeFineTuning {\n    public static void main(String[] args) throws Exception {\n"
                + body + "    }\n}\n";
        Path src = Files.writeString(tmp.resolve("ReadmeFineTuning.java"), source);
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        String cp = System.getProperty("java.class.path");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "a JDK (javax.tools) runs the tests");
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int compiled = javac.run(null, diagnostics, diagnostics, "-d", classes.toString(), "-cp", cp, src.toString());
        assertEquals(0, compiled, "the README example compiles:\n" + diagnostics.toString(StandardCharsets.UTF_8) + "\n" + source);

        Path out = tmp.resolve("out").resolve("sentiment");
        for (int run = 1; run <= 2; run++) {
            Path log = tmp.resolve("run" + run + ".log");
            List<String> cmd = new ArrayList<String>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx1g");
            String assets = System.getProperty("sdk.assets.dir");
            if (assets != null && !assets.isEmpty()) {
                cmd.add("-Dsdk.assets.dir=" + assets);
            }
            cmd.add("-cp");
            cmd.add(classes + File.pathSeparator + cp);
            cmd.add("ReadmeFineTuning");
            Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("run " + run + " of the README example did not end in 10 minutes");
            }
            String output = Files.readString(log);
            assertEquals(0, p.exitValue(), "run " + run + " of the README example:\n" + output);
            assertTrue(output.contains("README example: "), output);
            assertTrue(Files.isRegularFile(out.resolve("model.json")), "run " + run + " saved out/sentiment");
            try (Stream<Path> left = Files.list(out.getParent())) {
                assertEquals(List.of("sentiment"), left.map(f -> f.getFileName().toString()).collect(Collectors.toList()),
                        "nothing but the model beside it after run " + run);
            }
        }

        TextDataset test = TextFineTuningTest.test;
        // What `sdk-cli evaluate` reports: the saved directory's head on the backbone's (cached) features.
        double readme = Evaluation.evaluate(out, test, ModelOptions.builder().optEngine("onnx").build()).accuracy();
        // The heads the README used to show, on the same reviews, split and seed.
        TrainingConfig epochs = TrainingConfig.builder().epochs(20).learningRate(0.01).seed(42).optSolver("sgd").build();
        double sgdLinear;
        try (TrainedTextClassifier c = TextFineTuningTest.fit("onnx", Head.linear(), epochs, null, false, null)) {
            sgdLinear = c.evaluate(test).accuracy();
        }
        double mlp;
        try (TrainedTextClassifier c = TextFineTuningTest.fit("onnx", Head.mlp(256),
                TrainingConfig.builder().epochs(20).learningRate(0.01).seed(42).build(), null, false, null)) {
            mlp = c.evaluate(test).accuracy();
        }
        double lbfgs;   // the SDK's tuned linear head (L-BFGS), in this JVM: what the README example must match
        try (TrainedTextClassifier c = TextFineTuningTest.fit("onnx", Head.linear(), TrainingConfig.builder().seed(42).build(),
                null, false, null)) {
            lbfgs = c.evaluate(test).accuracy();
        }
        String figures = "test accuracy on " + test.size() + " reviews: README example " + readme
                + ", linear head by mini-batch epochs " + sgdLinear + ", MLP head " + mlp + ", tuned linear head " + lbfgs;
        System.out.println(figures);
        assertTrue(readme >= sgdLinear, "the README example is worse than the plain linear head: " + figures);
        // Measured here: README example 0.76, mini-batch linear 0.715, MLP 0.76 (the MLP ties on 400 reviews and
        // falls behind on 1,000, issue 15): no worse than the MLP by more than one review in 200 (other CPUs' float
        // rounding in libtorch can move a review).
        assertTrue(readme >= mlp - 0.005 - 1e-9, "the README example is worse than the MLP head: " + figures);
        assertTrue(readme >= lbfgs - 0.005 - 1e-9, "the README example is worse than the tuned linear head: " + figures);
        assertTrue(readme >= TextFineTuningTest.MIN_ACCURACY, figures);
    }
}
