package dev.nnsdk.cli;

import dev.nnsdk.training.io.OnnxExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code export-onnx}: one ONNX file with backbone + mean pooling + normalisation + head + softmax,
 * runnable by ONNX Runtime alone (inputs: the backbone's token tensors; outputs: probs, features), with its descriptor
 * (and tokenizer) beside it. Refuses an existing output unless {@code --overwrite}.
 */
@Command(name = "export-onnx", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class, description = "Export a fine-tuned classifier as one ONNX model (backbone + pooling or features + head + softmax).")
final class ExportOnnxCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Directory written by finetune.")
    Path model;

    @Option(names = "--output", required = true, paramLabel = "FILE.onnx",
            description = "ONNX file to write; FILE.model.json (descriptor) and, for text, FILE.tokenizer.json are written beside it, so predict, classify-image and TextClassifier/ImageClassifier.load accept FILE.onnx.")
    Path output;

    @Option(names = "--overwrite", description = "Replace an existing output (and its descriptor and tokenizer).")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
        System.err.println("exporting " + model + " (reading the backbone and merging the head) ...");
        OnnxExporter.export(model, output, overwrite);
        System.err.println("wrote " + output + ", " + OnnxExporter.companion(output, OnnxExporter.DESCRIPTOR_SUFFIX).getFileName()
                + (java.nio.file.Files.exists(OnnxExporter.companion(output, OnnxExporter.TOKENIZER_SUFFIX))
                ? ", " + OnnxExporter.companion(output, OnnxExporter.TOKENIZER_SUFFIX).getFileName() : ""));
        return 0;
    }
}
