package dev.nnsdk.training.io;

import dev.nnsdk.io.AtomicDirectory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nnsdk.io.Checksums;
import dev.nnsdk.repository.ImageSpec;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.training.TrainingRun;
import dev.nnsdk.training.listener.EpochResult;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a fine-tuned model directory, atomically:
 * <ul>
 *   <li>{@code model.json}: the descriptor (backbone id, source and artifact SHA-256s; head type,
 *       file and SHA-256; labels; preprocessing; provenance) that {@code TextClassifier.load} or
 *       {@code ImageClassifier.load} reads (the task says which);</li>
 *   <li>{@code head.bin}: the head weights (format in {@code dev.nnsdk.format.HeadWeights});</li>
 *   <li>{@code labels.txt}, {@code training.json} (config, datasets, provenance),
 *       {@code metrics.json} (validation metrics of the kept epoch), {@code history.csv},
 *       {@code loss.png}, {@code accuracy.png}.</li>
 * </ul>
 */
public final class SavedModelWriter {
    public static final String HEAD_FILE = "head.bin";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SavedModelWriter() {
    }

    public static void write(Path target, boolean overwrite, dev.nnsdk.format.HeadWeights head, TrainingRun run) throws IOException {
        AtomicDirectory.refuseExisting(target, overwrite);
        AtomicDirectory.write(target, overwrite, dir -> {
            Path headFile = dir.resolve(HEAD_FILE);
            try (OutputStream o = Files.newOutputStream(headFile)) {
                head.write(o);
            }
            String headSha = Checksums.sha256(headFile);
            Files.write(dir.resolve("labels.txt"), (String.join("\n", run.labels) + "\n").getBytes(StandardCharsets.UTF_8));
            JSON.writeValue(dir.resolve("model.json").toFile(), descriptor(target, run, headSha));
            JSON.writeValue(dir.resolve("training.json").toFile(), run.info);
            Map<String, Object> metrics = new LinkedHashMap<String, Object>();
            metrics.put("split", "validation");
            metrics.put("epoch", run.bestEpoch);
            metrics.putAll(run.validationMetrics.toMap());
            JSON.writeValue(dir.resolve("metrics.json").toFile(), metrics);
            writeHistory(dir.resolve("history.csv"), run);
            Plots.write(dir, run.history);
        });
    }

    static Map<String, Object> descriptor(Path target, TrainingRun run, String headSha) {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("id", target.toAbsolutePath().normalize().getFileName().toString());
        boolean image = ModelDescriptor.IMAGE_CLASSIFICATION.equals(run.info.get("task"));
        m.put("task", image ? ModelDescriptor.IMAGE_CLASSIFICATION : ModelDescriptor.TEXT_CLASSIFICATION);
        m.put("description", (image ? "Image" : "Text") + " classifier: " + run.head.type() + " head on frozen "
                + run.backbone.id());
        Map<String, Object> bb = new LinkedHashMap<String, Object>();
        bb.put("id", run.backbone.id());
        bb.put("source", run.backbone.source());
        bb.put("sha256", run.backbone.sha256());
        m.put("backbone", bb);
        Map<String, Object> h = new LinkedHashMap<String, Object>(run.head.toMap());
        h.put("file", HEAD_FILE);
        h.put("sha256", headSha);
        h.put("format", "nnsdk-head/1 (little-endian float32, see dev.nnsdk.format.HeadWeights)");
        m.put("head", h);
        m.put("labels", run.labels);
        ModelDescriptor d = run.backboneDescriptor;
        if (d.text() != null) {
            Map<String, Object> p = new LinkedHashMap<String, Object>();
            p.put("tokenizerSha256", d.text().tokenizer().sha256());
            p.put("maxLength", d.text().maxLength());
            p.put("pooling", d.text().pooling().name().toLowerCase(Locale.ROOT));
            p.put("normalize", d.text().normalize());
            m.put("preprocessing", p);
        } else if (d.image() != null) {
            ImageSpec i = d.image();
            Map<String, Object> p = new LinkedHashMap<String, Object>();
            p.put("width", i.width());
            p.put("height", i.height());
            p.put("layout", i.layout().name());
            p.put("resize", i.resize().name().toLowerCase(Locale.ROOT));
            p.put("interpolation", i.interpolation().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            p.put("scale", i.scale());
            p.put("mean", i.mean());
            p.put("std", i.std());
            p.put("features", i.featuresOutput());
            m.put("preprocessing", p);
        }
        m.put("provenance", run.info.get("provenance"));
        return m;
    }

    private static void writeHistory(Path file, TrainingRun run) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("epoch,lr,train_loss,train_accuracy,valid_loss,valid_accuracy,valid_macro_f1,seconds\n");
            for (EpochResult r : run.history) {
                w.write(String.format(Locale.ROOT, "%d,%.6g,%.6f,%.6f,%.6f,%.6f,%.6f,%.3f%n", r.epoch(), r.learningRate(),
                        r.trainLoss(), r.trainAccuracy(), r.validLoss(), r.validAccuracy(), r.validMacroF1(), r.seconds()));
            }
        }
    }
}
