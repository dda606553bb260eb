package dev.nnsdk.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.nnsdk.InvalidInputException;
import dev.nnsdk.image.Image;
import dev.nnsdk.image.ImageDecoder;
import dev.nnsdk.inference.Classification;
import dev.nnsdk.inference.ImageClassifier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code classify-image}: one JSON line per image,
 * {@code {"file":..., "label":..., "score":..., "top":[{"label":...,"score":...}, ...]}}, in input
 * order. With a directory, its images (files with an image extension, not hidden, not in
 * sub-directories) are taken in name order; other files are ignored. An image that cannot be decoded
 * stops the run with an error naming it (exit code 1) and no output file is written: the output
 * appears only when every image was classified.
 */
@Command(name = "classify-image", description = "Classify an image, or every image in a directory, into JSON Lines.")
final class ClassifyImageCommand implements Callable<Integer> {

    /** File extensions taken from an input directory (case-insensitive). */
    static final Set<String> EXTENSIONS = Collections.unmodifiableSet(new HashSet<String>(
            Arrays.asList("jpg", "jpeg", "png", "gif", "bmp", "wbmp", "tif", "tiff")));

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "ID|PATH", description = "Zoo id (e.g. mobilenet-v2-nsfw) or model directory.")
    String model;

    @Mixin
    ModelArgs modelArgs;

    @Option(names = "--input", required = true, paramLabel = "FILE|DIR",
            description = "An image file, or a directory whose images (" + "jpg, jpeg, png, gif, bmp, wbmp, tif, tiff"
                    + "; not recursive) are classified in name order.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "OUT.jsonl", description = "JSON Lines, one object per image.")
    Path output;

    @Option(names = "--top-k", defaultValue = "5", paramLabel = "K", description = "Classes listed per image (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--batch-size", defaultValue = "16", description = "Images per engine call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        if (topK < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--top-k must be at least 1, got " + topK);
        }
        if (batchSize < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch-size must be at least 1, got " + batchSize);
        }
        run(model, modelArgs.options(batchSize), input, output, topK, batchSize, quiet);
        return 0;
    }

    /** Classifies the input image(s) into JSON Lines, one line per image in name order, written atomically. */
    static void run(String model, dev.nnsdk.ModelOptions options, Path input, Path output, int topK, int batchSize,
                    boolean quiet) throws IOException {
        List<Path> files = inputs(input);
        ImageDecoder decoder = ImageDecoder.get();
        JsonFactory jf = new JsonFactory();
        try (ImageClassifier clf = ImageClassifier.load(model, options);
             AtomicOutput out = new AtomicOutput(output);
             Progress progress = new Progress("classify", files.size(), !quiet)) {
            JsonGenerator g = jf.createGenerator(out.writer());
            g.setRootValueSeparator(null);
            for (int start = 0; start < files.size(); start += batchSize) {
                List<Path> chunk = files.subList(start, Math.min(files.size(), start + batchSize));
                List<Image> images = new ArrayList<Image>(chunk.size());
                for (Path f : chunk) {
                    images.add(decoder.decode(f));
                }
                List<List<Classification>> results = clf.classifyAll(images, topK);
                for (int i = 0; i < chunk.size(); i++) {
                    ClassificationJson.writeLine(g, chunk.get(i).toString(), results.get(i));
                }
                progress.step(chunk.size());
            }
            g.flush();
            out.commit();
        }
    }

    /** The input file, or the images of the input directory sorted by name. */
    static List<Path> inputs(Path input) throws IOException {
        if (!Files.exists(input)) {
            throw new InvalidInputException("Input " + input + " does not exist");
        }
        if (!Files.isDirectory(input)) {
            return Collections.singletonList(input);
        }
        List<Path> out = new ArrayList<Path>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(input)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                int dot = name.lastIndexOf('.');
                if (!name.startsWith(".") && dot > 0 && Files.isRegularFile(p)
                        && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
                    out.add(p);
                }
            }
        }
        if (out.isEmpty()) {
            throw new InvalidInputException("Directory " + input + " has no images (files ending in " + new java.util.TreeSet<String>(EXTENSIONS) + ")");
        }
        Collections.sort(out, (a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return out;
    }
}
