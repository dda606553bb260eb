package dev.nnsdk.bench;

import dev.nnsdk.repository.Artifact;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;

import java.util.Locale;

/**
 * Creates the contenders by name. {@code sdk} (the SDK on the engine asked for), {@code raw}
 * (the raw engine API on the same model file: raw ONNX Runtime for {@code --engine onnx}, raw DJL
 * {@code Criteria}/{@code Predictor} on the TorchScript file for {@code --engine djl}),
 * {@code raw-ort} / {@code raw-djl} (that one whatever the engine), {@code langchain4j} (fp32 or
 * int8 by model id).
 */
public final class Embedders {
    private Embedders() {
    }

    private static Embedder withProperty(String key, String value, String label, String modelId, String engine,
                                         int threads, int batchSize) {
        String old = System.getProperty(key);
        System.setProperty(key, value);
        try {
            return new SdkEmbedder(modelId, engine, threads, batchSize, label);
        } finally {
            if (old == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, old);
            }
        }
    }

    public static Embedder create(String kind, String modelId, String engine, int threads, int batchSize) {
        String k = kind.toLowerCase(Locale.ROOT);
        boolean int8 = modelId.toLowerCase(Locale.ROOT).contains("int8");
        if (k.matches("sdk-b[0-9]+")) {
            // Experiment: the SDK with another padded-token budget per engine call.
            return withProperty("nnsdk.tokenBudget", k.substring(5), k, modelId, engine, threads, batchSize);
        }
        if (k.matches("sdk-par[0-9]+")) {
            // Experiment: N batches at once, each engine call single-threaded (threads = 1).
            return withProperty("nnsdk.batchParallelism", k.substring(7), k, modelId, engine, 1, batchSize);
        }
        switch (k) {
            case "sdk":
                return new SdkEmbedder(modelId, engine, threads, batchSize);
            case "sdk-nobudget":
                // Experiment: the SDK without the padded-token budget (rows per batch capped by batchSize only).
                return withProperty("nnsdk.tokenBudget", String.valueOf(Integer.MAX_VALUE), k, modelId, engine, threads, batchSize);
            case "sdk-noopt":
                // The SDK with sdk-onnx-graph's fusion switched off: the model file loaded as it is.
                return withProperty("nnsdk.onnx.optimize", "false", k, modelId, engine, threads, batchSize);
            case "sdk-spin":
                // Experiment: the SDK with ONNX Runtime's default busy-waiting intra-op threads.
                return withProperty("nnsdk.onnx.spinning", "true", k, modelId, engine, threads, batchSize);
            case "raw-djl":
                return rawDjl(modelId, threads, batchSize);
            case "raw":
                if ("djl".equals(engine)) {
                    return rawDjl(modelId, threads, batchSize);
                }
                // fall through: raw ONNX Runtime
            case "raw-ort":
            case "raw-nospin":
            case "raw-spin":
            case "raw-nomempattern":
            case "raw-noarena": {
                if (engine != null && !engine.equals("onnx") && !k.equals("raw-ort")) {
                    throw new IllegalArgumentException("No raw comparison for engine '" + engine + "' (known: onnx, djl)");
                }
                ModelDescriptor d = ModelRepository.resolve(modelId);
                Artifact onnx = d.artifacts().get(dev.nnsdk.engine.ModelFormat.ONNX);
                if (onnx == null || d.text() == null) {
                    throw new IllegalArgumentException("Model '" + modelId + "' has no ONNX text artifact for the raw comparison");
                }
                String variant = k.startsWith("raw-") && !k.equals("raw-ort") ? k.substring(4) : "";
                return new RawOrtEmbedder(onnx.path(), d.text().tokenizer().path(), d.text().maxLength(), threads, batchSize,
                        variant);
            }
            case "langchain4j":
            case "lc4j":
                if (BertFlops.forModel(modelId) == null) {
                    throw new IllegalArgumentException("LangChain4j comparison exists only for all-minilm-l6-v2[-int8], not " + modelId);
                }
                return new LangChain4jEmbedder(int8);
            default:
                throw new IllegalArgumentException("Unknown contender '" + kind + "' (known: sdk, sdk-noopt, sdk-nobudget, sdk-spin, raw, raw-ort, raw-djl, raw-spin, raw-nospin, raw-nomempattern, raw-noarena, langchain4j)");
        }
    }

    private static Embedder rawDjl(String modelId, int threads, int batchSize) {
        ModelDescriptor d = ModelRepository.resolve(modelId);
        Artifact ts = d.artifacts().get(dev.nnsdk.engine.ModelFormat.TORCHSCRIPT);
        if (ts == null || d.text() == null) {
            throw new IllegalArgumentException("Model '" + modelId + "' has no TorchScript text artifact for the raw DJL comparison");
        }
        return new RawDjlEmbedder(ts.path(), d.text().tokenizer().path(), d.text().maxLength(), threads, batchSize);
    }
}
