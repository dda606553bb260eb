package dev.nnsdk.cli;

import dev.nnsdk.training.io.OnnxExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code export-onnx}: one ONNX file with backbone + mean pooling + normalisation + head + softmax,
 * runnable by ONNX Runtime alone (inputs: the backbone's token tensors; outputs: probs, features).
 */
@Command(name = "export-onnx", description = "Export a fine-tuned classifier as one ONNX model (backbone + pooling or features + head + softmax).")
final class ExportOnnxCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Directory written by finetune.")
    Path model;

    @Option(names = "--output", required = true, paramLabel = "FILE.onnx", description = "ONNX file to write.")
    Path output;

    @Override
    public Integer call() throws IOException {
        OnnxExporter.export(model, output);
        System.err.println("wrote " + output);
        return 0;
    }
}
