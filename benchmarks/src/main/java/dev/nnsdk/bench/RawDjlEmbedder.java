package dev.nnsdk.bench;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import dev.nnsdk.SdkSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The same work as the SDK's {@code djl} engine written directly against DJL, as a careful DJL user
 * would: {@link Criteria} on the same TorchScript file (PyTorch engine, CPU, {@code mapLocation}),
 * one {@link Predictor}, and a hand-written {@link NoBatchifyTranslator} that takes a whole batch of
 * texts: Hugging Face batch tokenisation (same tokenizer file, truncation at the model's max length),
 * right-padding to the batch's longest text, inputs {@code input_ids, attention_mask, token_type_ids}
 * in that order, and mean pooling over real tokens plus L2 normalisation on NDArrays, so only the
 * {@code [batch, hidden]} result is copied to Java.
 *
 * <p>Thread settings match the SDK's djl engine: libtorch's intra-op pool set to {@code threads}
 * when {@code threads > 0} (process-wide in PyTorch, so both sides share it in one JVM), inter-op
 * threads left at libtorch's default (the SDK does not set them), and the TorchScript graph
 * optimiser off ({@code ai.djl.pytorch.graph_optimizer=false}, set by {@link dev.nnsdk.djl.DjlSystemProperties#apply()}
 * before the engine starts, as the SDK does). It does not sort by length: the per-batch passes feed
 * both sides batches of exactly {@code batchSize}.
 */
public final class RawDjlEmbedder implements Embedder {
    private final ZooModel<String[], float[][]> model;
    private final Predictor<String[], float[][]> predictor;
    private final HuggingFaceTokenizer tokenizer;
    private final int batchSize;

    public RawDjlEmbedder(Path torchScriptFile, Path tokenizerFile, int maxLength, int threads, int batchSize) {
        dev.nnsdk.djl.DjlSystemProperties.apply();
        this.batchSize = batchSize;
        try {
            this.tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerFile).optMaxLength(maxLength)
                    .optTruncation(true).optPadding(false).optAddSpecialTokens(true).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String file = torchScriptFile.getFileName().toString();
        Criteria<String[], float[][]> criteria = Criteria.builder()
                .setTypes(String[].class, float[][].class)
                .optModelPath(torchScriptFile.getParent())
                .optModelName(file.endsWith(".pt") ? file.substring(0, file.length() - 3) : file)
                .optEngine("PyTorch")
                .optDevice(Device.cpu())
                .optOption("mapLocation", "true")
                .optTranslator(new MeanPoolTranslator(tokenizer))
                .build();
        try {
            this.model = criteria.loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException e) {
            tokenizer.close();
            throw new IllegalStateException("raw DJL: cannot load " + torchScriptFile + ": " + e.getMessage(), e);
        }
        if (threads > 0 && JniUtils.getNumThreads() != threads) {
            JniUtils.setNumThreads(threads);
        }
        this.predictor = model.newPredictor();
    }

    @Override
    public String name() {
        return "raw-djl";
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<float[]> out = new ArrayList<float[]>(texts.size());
        for (int start = 0; start < texts.size(); start += batchSize) {
            List<String> chunk = texts.subList(start, Math.min(texts.size(), start + batchSize));
            try {
                out.addAll(Arrays.asList(predictor.predict(chunk.toArray(new String[0]))));
            } catch (TranslateException e) {
                throw new IllegalStateException("raw DJL: " + e.getMessage(), e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
        tokenizer.close();
    }

    /** Texts of one batch in, one L2-normalised mean-pooled vector per text out. */
    static final class MeanPoolTranslator implements NoBatchifyTranslator<String[], float[][]> {
        private static final String MASK = "mask";
        private final HuggingFaceTokenizer tokenizer;

        MeanPoolTranslator(HuggingFaceTokenizer tokenizer) {
            this.tokenizer = tokenizer;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, String[] texts) {
            Encoding[] enc = tokenizer.batchEncode(texts);
            int b = enc.length;
            int seq = 1;
            for (Encoding e : enc) {
                seq = Math.max(seq, e.getIds().length);
            }
            long[] ids = new long[b * seq];
            long[] mask = new long[b * seq];
            long[] types = new long[b * seq];
            for (int i = 0; i < b; i++) {
                long[] id = enc[i].getIds();
                System.arraycopy(id, 0, ids, i * seq, id.length);
                System.arraycopy(enc[i].getTypeIds(), 0, types, i * seq, id.length);
                Arrays.fill(mask, i * seq, i * seq + id.length, 1L);
            }
            NDManager m = ctx.getNDManager();
            Shape shape = new Shape(b, seq);
            NDArray maskNd = m.create(mask, shape);
            ctx.setAttachment(MASK, maskNd);
            return new NDList(m.create(ids, shape), maskNd, m.create(types, shape));
        }

        @Override
        public float[][] processOutput(TranslatorContext ctx, NDList list) {
            NDArray states = list.get(0);                                          // [b, seq, h]
            NDArray mask = ((NDArray) ctx.getAttachment(MASK)).toType(DataType.FLOAT32, false).expandDims(-1); // [b, seq, 1]
            NDArray mean = states.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1}));  // [b, h]
            NDArray norm = mean.norm(new int[] {1}, true);                          // [b, 1]
            NDArray unit = mean.div(norm);
            int b = (int) unit.getShape().get(0);
            int h = (int) unit.getShape().get(1);
            float[] flat = unit.toFloatArray();
            float[][] out = new float[b][h];
            for (int i = 0; i < b; i++) {
                System.arraycopy(flat, i * h, out[i], 0, h);
            }
            return out;
        }
    }
}
