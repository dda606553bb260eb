package dev.nnsdk.cli;

import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.onnx.graph.CalibrationTexts;
import dev.nnsdk.onnx.graph.ModelOptimizer;
import dev.nnsdk.onnx.graph.quant.Calibration;
import dev.nnsdk.repository.Artifact;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code quantize}: static int8 (QDQ S8S8, per-channel weights, calibrated activations) of a text model's fp32 ONNX
 * file, after graph fusion, checked against the fp32 model on the calibration texts.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class, description = "Quantise a text model's fp32 ONNX file to static int8 (QDQ S8S8, per-channel weights, calibrated activation scales).")
final class QuantizeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "ID|DIR", description = "Zoo id or model directory (fp32 ONNX + tokenizer.json).")
    String model;

    @Option(names = "--output", required = true, paramLabel = "FILE.onnx", description = "Quantised ONNX file to write.")
    Path output;

    @Option(names = "--calibration", paramLabel = "FILE", description = "Calibration texts: .txt (one per line) or .jsonl (field text), optionally .gz (default: the SDK's built-in texts: 79 sentences and passages made of them).")
    Path calibration;

    @Option(names = "--limit", defaultValue = "200", description = "Calibration texts to use from --calibration (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--method", defaultValue = "minmax", paramLabel = "minmax|percentile:P", description = "Activation range calibration (default: ${DEFAULT-VALUE}).")
    String method;

    @Override
    public Integer call() throws Exception {
        ModelDescriptor d = ModelRepository.resolve(model);
        Artifact onnx = d.artifacts().get(ModelFormat.ONNX);
        if (onnx == null || d.text() == null) {
            throw new IllegalArgumentException("Model '" + model + "' has no ONNX text-model artifact to quantise");
        }
        List<String> texts;
        if (calibration == null) {
            texts = CalibrationTexts.builtIn();
        } else {
            try (TextInput in = new TextInput(calibration, "text")) {
                texts = in.next(limit);
            }
        }
        byte[] source = Files.readAllBytes(onnx.path());
        ModelOptimizer.Quantized q = ModelOptimizer.quantize(onnx.path(), output,
                CalibrationTexts.feeds(d.text().tokenizer().path(), texts, 16, ModelOptimizer.inputNames(source)),
                Calibration.parse(method));
        System.err.println("wrote " + output + " (" + texts.size() + " calibration texts, " + method + "; vs fp32: "
                + q.check() + ")");
        return 0;
    }
}
