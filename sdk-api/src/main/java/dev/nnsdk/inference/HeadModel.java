package dev.nnsdk.inference;

import dev.nnsdk.ModelLoadException;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.engine.EngineModel;
import dev.nnsdk.engine.RunGuard;
import dev.nnsdk.engine.Tensor;
import dev.nnsdk.engine.TensorInfo;
import dev.nnsdk.io.Checksums;
import dev.nnsdk.repository.EngineSelection;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.TextSpec;
import dev.nnsdk.text.Encoding;
import dev.nnsdk.text.Tokenizer;
import dev.nnsdk.text.Tokenizers;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A transformer with a task head that comes with the model (HF {@code *ForSequenceClassification},
 * {@code *ForTokenClassification}): tokenizer + engine model + labels; runs encodings in length-sorted batches padded
 * to each batch's longest and hands back each row's logits. Shared by the classifier, token classifier and
 * cross-encoder. Thread-safe.
 */
final class HeadModel implements AutoCloseable {

    final ModelDescriptor descriptor;
    final TextSpec spec;
    final Tokenizer tokenizer;
    private final EngineModel model;
    private final int batchSize;
    private final TextFeeds feeds;
    private final int outputIndex;
    final RunGuard guard;

    private HeadModel(ModelDescriptor d, EngineModel model, Tokenizer tokenizer, int batchSize) {
        this.descriptor = d;
        this.spec = d.text();
        this.model = model;
        this.tokenizer = tokenizer;
        this.batchSize = Math.max(1, spec.maxBatchSize() > 0 ? Math.min(batchSize, spec.maxBatchSize()) : batchSize);
        this.guard = new RunGuard(d.task() + "(" + d.id() + ")");
        this.feeds = TextFeeds.of(d, model, "a text model");
        int idx = TextFeeds.outputIndex(d, model, spec.output());
        this.outputIndex = idx;
        List<TensorInfo> outs = model.outputs();
        long[] shape = outs.isEmpty() ? null : outs.get(idx).shape();
        if (shape != null && shape.length > 0 && shape[shape.length - 1] > 0 && !spec.labels().isEmpty()
                && shape[shape.length - 1] != spec.labels().size()) {
            throw widthError(shape[shape.length - 1]);
        }
    }

    /** Whether the model takes token type ids (segment ids), which text pairs need. */
    boolean takesTypeIds() {
        return feeds.hasTypes();
    }

    private ModelLoadException widthError(long width) {
        return new ModelLoadException("Model '" + descriptor.id() + "': id2label (config.json) / text.labels (model.json) has "
                + spec.labels().size() + " labels " + spec.labels() + " but the model's output '"
                + model.outputs().get(outputIndex).name() + "' has " + width + " columns");
    }

    static HeadModel open(ModelDescriptor d, ModelOptions options, String... tasks) {
        if (d.text() == null || d.text().labels().isEmpty()) {
            throw new ModelLoadException("Model '" + d.id() + "' (task " + d.task() + ") has no labels: it is not a "
                    + String.join(" / ", tasks) + " model (a Hugging Face export has them in config.json id2label)");
        }
        boolean ok = false;
        for (String t : tasks) {
            ok |= t.equals(d.task());
        }
        if (!ok) {
            throw new ModelLoadException("Model '" + d.id() + "' is a " + d.task() + " model, not " + String.join(" / ", tasks));
        }
        Checksums.verify(d.text().tokenizer().path(), d.text().tokenizer().sha256());
        Tokenizer tok = Tokenizers.create(d.text().tokenizer().path(), d.text().maxLength());
        EngineModel m = null;
        try {
            m = EngineSelection.load(d, options);
            return new HeadModel(d, m, tok, options.batchSize());
        } catch (RuntimeException e) {
            tok.close();
            if (m != null) {
                m.close();
            }
            throw e;
        }
    }

    /**
     * Each encoding's logits: {@code [labels]} for a sequence head, {@code [length * labels]} (row-major) for a
     * token head.
     */
    float[][] logits(List<Encoding> enc) {
        int n = enc.size();
        float[][] out = new float[n][];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(enc.get(a).length(), enc.get(b).length()));
        for (int from = 0; from < n; from += batchSize) {
            int b = Math.min(batchSize, n - from);
            int[] rows = new int[b];
            for (int i = 0; i < b; i++) {
                rows[i] = order[from + i];
            }
            runBatch(enc, rows, out);
        }
        return out;
    }

    private void runBatch(List<Encoding> enc, int[] rows, float[][] out) {
        int b = rows.length;
        int seq = 1;
        for (int r : rows) {
            seq = Math.max(seq, enc.get(r).length());
        }
        Tensor t = model.run(feeds.tensors(enc, rows, seq)).get(outputIndex);
        int width = (int) t.dim(-1);
        if (!spec.labels().isEmpty() && width != spec.labels().size()) {
            throw widthError(width);
        }
        FloatBuffer fb = t.floatBuffer();
        int outSeq = t.rank() == 3 ? (int) t.dim(1) : 1;
        for (int i = 0; i < b; i++) {
            int len = t.rank() == 3 ? enc.get(rows[i]).length() : 1;
            float[] v = new float[len * width];
            ((java.nio.Buffer) fb).position(i * outSeq * width);
            fb.get(v);
            out[rows[i]] = v;
        }
    }

    /** Applies the head's activation to one row of logits (in place for softmax / sigmoid). */
    static float[] activate(float[] logits, int from, int width, TextSpec.Activation a) {
        float[] p = new float[width];
        if (a == TextSpec.Activation.SIGMOID) {
            for (int k = 0; k < width; k++) {
                p[k] = (float) (1.0 / (1.0 + Math.exp(-logits[from + k])));
            }
        } else if (a == TextSpec.Activation.NONE) {
            System.arraycopy(logits, from, p, 0, width);
        } else {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < width; k++) {
                max = Math.max(max, logits[from + k]);
            }
            double sum = 0;
            double[] e = new double[width];
            for (int k = 0; k < width; k++) {
                e[k] = Math.exp(logits[from + k] - max);
                sum += e[k];
            }
            for (int k = 0; k < width; k++) {
                p[k] = (float) (e[k] / sum);
            }
        }
        return p;
    }

    String engine() {
        return model.engineName();
    }

    @Override
    public void close() {
        if (guard.close()) {
            try {
                model.close();
            } finally {
                tokenizer.close();
            }
        }
    }
}
