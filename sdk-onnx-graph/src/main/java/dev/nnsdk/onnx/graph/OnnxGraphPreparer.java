package dev.nnsdk.onnx.graph;

import dev.nnsdk.ModelLoadException;
import dev.nnsdk.engine.LoadOptions;
import dev.nnsdk.io.Checksums;
import dev.nnsdk.SdkSettings;
import dev.nnsdk.onnx.OnnxModelPreparer;
import dev.nnsdk.onnx.graph.quant.Calibration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * sdk-onnx's model plug-in: serves a fused (and, when the descriptor asks, statically int8-quantised) copy of an ONNX
 * file, verified against it, from a cache keyed by the source's SHA-256 and the recipe
 * ({@code <cache>/onnx-graph/<sha256>-<recipe>.onnx}). A graph it does not recognise, or whose rewrite misses the
 * tolerance, is loaded as it is, and a {@code .refused} note in the cache keeps that from being retried at every start.
 * System properties: {@code nnsdk.onnx.optimize} (default true), {@code nnsdk.onnx.optimize.tolerance} (default 1e-4),
 * {@code nnsdk.onnx.calibration} (default {@code minmax}).
 */
public final class OnnxGraphPreparer implements OnnxModelPreparer {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxGraphPreparer.class);
    /** Bump when a fusion or the quantiser changes its output, so cached files are rebuilt. */
    static final String RECIPE_VERSION = "v1";
    /** Bumped when a graph refused before may now be optimised, so that its {@code .refused} note is retried. */
    static final int REFUSAL_VERSION = 2;
    /** The static int8 recipe's own version (v2: the built-in calibration texts include passages). */
    static final String INT8_RECIPE_VERSION = "v2";
    private static final Map<String, Object> LOCKS = new ConcurrentHashMap<String, Object>();

    @Override
    public Path prepare(Path source, LoadOptions options) {
        boolean quantize = "int8-static".equals(options.quantization());
        if (!quantize && options.quantization() != null) {
            throw new ModelLoadException("Unknown quantisation '" + options.quantization() + "' for " + source
                    + " (supported: int8-static)");
        }
        String m = System.getProperty("nnsdk.onnx.calibration");
        Calibration method = m == null ? Calibration.defaults() : Calibration.parse(m);
        String recipe = quantize ? "int8-static-" + INT8_RECIPE_VERSION + "-" + method.toString().replace(':', '_')
                : "fused-" + RECIPE_VERSION;
        try {
            String sha = Checksums.sha256Known(source);
            Path dir = cacheDir();
            Path cached = dir.resolve(sha + "-" + recipe + ".onnx");
            // The refusal is versioned on its own: what the optimiser can verify grows (REFUSAL_VERSION 2: windowed
            // exports' window_text input), and an older refusal must not outlive that.
            Path refused = dir.resolve(sha + "-" + recipe + "-r" + REFUSAL_VERSION + ".refused");
            synchronized (LOCKS.computeIfAbsent(cached.toString(), k -> new Object())) {
                if (Files.isRegularFile(cached)) {
                    LOG.debug("Using cached {} for {}", cached, source);
                    return cached;
                }
                if (Files.isRegularFile(refused) && !quantize) {
                    return source;
                }
                long t0 = System.nanoTime();
                byte[] model = Files.readAllBytes(source);
                try {
                    byte[] out;
                    String report;
                    if (quantize) {
                        if (options.tokenizer() == null) {
                            throw new ModelLoadException("Static quantisation of " + source
                                    + " needs the model's tokenizer (text models only)");
                        }
                        List<Map<String, long[][]>> calib = CalibrationTexts.feeds(options.tokenizer(),
                                CalibrationTexts.builtIn(), 16, ModelOptimizer.inputNames(model));
                        ModelOptimizer.Quantized q = ModelOptimizer.quantize(model, calib, method,
                                ModelOptimizer.DEFAULT_MIN_COSINE);
                        out = q.bytes();
                        report = "int8 static (" + method + ") vs fp32 on the calibration texts: " + q.check();
                    } else {
                        ModelOptimizer.Optimized o = ModelOptimizer.optimize(model, tolerance());
                        out = o.bytes();
                        report = "fused " + o.fusions() + "; vs original on drawn inputs: " + o.check();
                    }
                    AtomicFiles.write(cached, out);
                    AtomicFiles.write(dir.resolve(sha + "-" + recipe + ".txt"),
                            (source + "\n" + report + "\n").getBytes(StandardCharsets.UTF_8));
                    LOG.info("{}: {} ({} ms, cached as {})", source.getFileName(), report,
                            (System.nanoTime() - t0) / 1_000_000, cached);
                    return cached;
                } catch (ModelOptimizer.RefusedException e) {
                    if (quantize) {
                        throw new ModelLoadException("Cannot quantise " + source + ": " + e.getMessage(), e);
                    }
                    LOG.info("{}: loaded as it is, not optimised: {}", source.getFileName(), e.getMessage());
                    AtomicFiles.write(refused, (source + "\n" + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
                    return source;
                }
            }
        } catch (IOException e) {
            if (quantize) {
                throw new ModelLoadException("Cannot quantise " + source + ": " + e.getMessage(), e);
            }
            // an unreadable file is ONNX Runtime's to report (it names the file and the problem); only say why here
            LOG.debug("Graph optimisation of {} skipped: {}", source, e.getMessage());
            return source;
        }
    }

    static Path cacheDir() {
        return SdkSettings.cacheDir().resolve("onnx-graph");
    }

    private static double tolerance() {
        return Double.parseDouble(System.getProperty("nnsdk.onnx.optimize.tolerance",
                String.valueOf(ModelOptimizer.DEFAULT_TOLERANCE)));
    }
}
