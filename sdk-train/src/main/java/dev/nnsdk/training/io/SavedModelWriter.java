package dev.nnsdk.training.io;

import dev.nnsdk.io.AtomicDirectory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nnsdk.io.Checksums;
import dev.nnsdk.repository.ImageSpec;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.training.io.TrainingRun;
import dev.nnsdk.training.listener.EpochResult;
import dev.nnsdk.zoo.descriptor.ModelJson;

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
    /** The fine-tuned backbone module of a model whose backbone was trained (TorchScript archive). */
    public static final String BACKBONE_FILE = "backbone.pt";
    /** The backbone's tokenizer, copied beside a trained backbone. */
    public static final String TOKENIZER_FILE = "tokenizer.json";
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
            if (run.trainedBackbone != null) {
                Files.copy(run.trainedBackbone, dir.resolve(BACKBONE_FILE));
            }
            if (run.trainedBackbone != null && run.backboneDescriptor.text() != null) {
                Path tok = run.backboneDescriptor.text().tokenizer().path();
                Checksums.verify(tok, run.backboneDescriptor.text().tokenizer().sha256());
                Files.copy(tok, dir.resolve(TOKENIZER_FILE));
            }
            Files.write(dir.resolve("labels.txt"), (String.join("\n", run.labels) + "\n").getBytes(StandardCharsets.UTF_8));
            descriptor(target, run, headSha, dir).write(dir.resolve("model.json"));
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

    static ModelJson descriptor(Path target, TrainingRun run, String headSha, Path dir) throws IOException {
        boolean image = ModelDescriptor.IMAGE_CLASSIFICATION.equals(run.info.get("task"));
        Map<String, Object> headMap = run.head.toMap();
        ModelJson.Head head = new ModelJson.Head(run.head.type(), (Integer) headMap.get("hidden"),
                headMap.get("dropout") == null ? null : ((Number) headMap.get("dropout")).doubleValue(), HEAD_FILE, headSha,
                "nnsdk-head/1 (little-endian float32, see dev.nnsdk.format.HeadWeights)");
        ModelJson.Backbone backbone = new ModelJson.Backbone(run.backbone.id(), run.backbone.source(), run.backbone.sha256());
        Map<String, Object> p = new LinkedHashMap<String, Object>();
        ModelDescriptor d = run.backboneDescriptor;
        if (d.text() != null) {
            p.put("tokenizerSha256", d.text().tokenizer().sha256());
            p.put("maxLength", d.text().maxLength());
            p.put("pooling", d.text().pooling().name().toLowerCase(Locale.ROOT));
            p.put("normalize", d.text().normalize());
        } else if (d.image() != null) {
            ImageSpec i = d.image();
            p.put("width", i.width());
            p.put("height", i.height());
            p.put("layout", i.layout().name());
            p.put("resize", i.resize().name().toLowerCase(Locale.ROOT));
            p.put("interpolation", i.interpolation().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            p.put("scale", i.scale());
            p.put("mean", i.mean());
            p.put("std", i.std());
            p.put("features", i.featuresOutput());
        }
        String name = target.toAbsolutePath().normalize().getFileName().toString();
        if (run.trainedBackbone != null) {
            // The trained backbone's own artifact and text pipeline; the original backbone is recorded (checked, and
            // used by export-onnx for its ONNX graph) but never run.
            com.fasterxml.jackson.databind.node.JsonNodeFactory f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
            Map<String, com.fasterxml.jackson.databind.JsonNode> arts = new LinkedHashMap<String, com.fasterxml.jackson.databind.JsonNode>();
            arts.put("torchscript", f.objectNode().put("source", BACKBONE_FILE)
                    .put("sha256", Checksums.sha256(dir.resolve(BACKBONE_FILE))));
            String trained = "backbone fine-tuned (" + ((Map<?, ?>) run.info.get("backboneTraining")).get("layers") + ")";
            if (image) {
                // The trained module runs with the original's preprocessing and features output, written out in full.
                com.fasterxml.jackson.databind.node.ObjectNode imageNode = OnnxExporter.imageJson(JSON, d.image());
                imageNode.put("features", d.image().featuresOutput());
                return new ModelJson(ModelJson.FORMAT_VERSION, name, ModelDescriptor.IMAGE_CLASSIFICATION,
                        "Image classifier: " + run.head.type() + " head on " + run.backbone.id() + ", " + trained,
                        arts, d.inputNames(), d.outputNames(), null, imageNode, backbone, head, run.labels, null,
                        p.isEmpty() ? null : p, null, run.info.get("provenance"));
            }
            com.fasterxml.jackson.databind.node.ObjectNode text = f.objectNode();
            text.putObject("tokenizer").put("source", TOKENIZER_FILE).put("sha256", Checksums.sha256(dir.resolve(TOKENIZER_FILE)));
            text.put("maxLength", d.text().maxLength());
            text.put("pooling", d.text().pooling().name().toLowerCase(Locale.ROOT));
            text.put("normalize", d.text().normalize());
            if (d.text().output() != null) {
                text.put("output", d.text().output());
            }
            if (d.text().lowerCase()) {
                text.put("lowerCase", true);
            }
            return new ModelJson(ModelJson.FORMAT_VERSION, name, ModelDescriptor.TEXT_CLASSIFICATION,
                    "Text classifier: " + run.head.type() + " head on " + run.backbone.id() + ", " + trained,
                    arts, d.inputNames(), d.outputNames(), text, null, backbone, head, run.labels, null,
                    p.isEmpty() ? null : p, null, run.info.get("provenance"));
        }
        com.fasterxml.jackson.databind.node.ObjectNode windows = null;
        if (d.text() != null && d.text().windows() >= 2) {
            // the one text setting of a frozen-backbone model that is the head's, not the backbone's
            windows = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                    .put("windows", d.text().windows());
        }
        return new ModelJson(ModelJson.FORMAT_VERSION, name,
                image ? ModelDescriptor.IMAGE_CLASSIFICATION : ModelDescriptor.TEXT_CLASSIFICATION,
                (image ? "Image" : "Text") + " classifier: " + run.head.type() + " head on frozen " + run.backbone.id(),
                null, null, null, windows, null, backbone, head, run.labels, null, p.isEmpty() ? null : p, null,
                run.info.get("provenance"));
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
