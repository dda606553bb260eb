package dev.nnsdk.inference;

import dev.nnsdk.engine.RunGuard;
import dev.nnsdk.io.Checksums;
import dev.nnsdk.text.Tokenizers;

import dev.nnsdk.repository.EngineSelection;
import dev.nnsdk.ModelLoadException;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.engine.EngineModel;
import dev.nnsdk.engine.Tensor;
import dev.nnsdk.engine.TensorInfo;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.TextSpec;
import dev.nnsdk.text.Encoding;
import dev.nnsdk.text.Tokenizer;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Tokenise, run in length-sorted batches padded to the longest text of each batch (at most
 * {@code batchSize} texts and a padded-token budget per batch, see {@link BatchPlanner}), pool,
 * normalise, restore input order.
 */
final class TextEmbedderImpl implements TextEmbedder {

    private enum Input { IDS, MASK, TYPES }

    private final ModelDescriptor descriptor;
    private final EngineModel model;
    private final Tokenizer tokenizer;
    private final TextSpec spec;
    private final int batchSize;
    private final int tokenBudget;
    private final int parallelism;
    private final List<String> inputNames = new ArrayList<String>();
    private final List<Input> inputKinds = new ArrayList<Input>();
    private final int outputIndex;
    private final RunGuard guard;
    private volatile int dimension = -1;

    private TextEmbedderImpl(ModelDescriptor d, EngineModel model, Tokenizer tokenizer, int batchSize) {
        this.descriptor = d;
        this.model = model;
        this.tokenizer = tokenizer;
        this.spec = d.text();
        this.batchSize = spec.maxBatchSize() > 0 ? Math.min(batchSize, spec.maxBatchSize()) : batchSize;
        this.tokenBudget = tokenBudget();
        // Experimental (default 1): run this many batches at once; see docs/benchmarks-perf.md section 6.
        this.parallelism = Math.max(1, Integer.getInteger("nnsdk.batchParallelism", 1));
        this.guard = new RunGuard("TextEmbedder(" + d.id() + ")");
        for (TensorInfo in : model.inputs()) {
            String n = in.name().toLowerCase(java.util.Locale.ROOT);
            Input kind = n.contains("mask") ? Input.MASK : n.contains("type") ? Input.TYPES
                    : n.contains("ids") || n.equals("input") ? Input.IDS : null;
            if (kind == null) {
                throw new ModelLoadException("Model '" + d.id() + "' has input '" + in.name()
                        + "', which is not one a text encoder takes (input_ids, attention_mask, token_type_ids)");
            }
            inputNames.add(in.name());
            inputKinds.add(kind);
        }
        int idx = 0;
        if (spec.output() != null) {
            idx = -1;
            List<TensorInfo> outs = model.outputs();
            for (int i = 0; i < outs.size(); i++) {
                if (outs.get(i).name().equals(spec.output())) {
                    idx = i;
                }
            }
            if (idx < 0) {
                throw new ModelLoadException("Model '" + d.id() + "' has no output '" + spec.output() + "' (outputs: "
                        + model.outputs() + ")");
            }
        }
        this.outputIndex = idx;
    }

    /** Padded tokens per engine call: {@link BatchPlanner#DEFAULT_TOKEN_BUDGET}, or the system property {@code nnsdk.tokenBudget} (tuning only). */
    private static int tokenBudget() {
        String v = System.getProperty("nnsdk.tokenBudget");
        if (v != null) {
            try {
                int b = Integer.parseInt(v.trim());
                if (b > 0) {
                    return b;
                }
            } catch (NumberFormatException e) {
                // fall through to the default
            }
        }
        return BatchPlanner.DEFAULT_TOKEN_BUDGET;
    }

    /** Loads the engine model and tokenizer a text descriptor names. */
    public static TextEmbedder create(ModelDescriptor d, ModelOptions options) {
        Objects.requireNonNull(d, "descriptor");
        if (d.text() == null) {
            throw new ModelLoadException("Model '" + d.id() + "' is not a text model (task " + d.task() + ")");
        }
        Checksums.verify(d.text().tokenizer().path(), d.text().tokenizer().sha256());
        Tokenizer tok = Tokenizers.create(d.text().tokenizer().path(), d.text().maxLength());
        EngineModel m = null;
        try {
            m = EngineSelection.load(d, options);
            return new TextEmbedderImpl(d, m, tok, options.batchSize());
        } catch (RuntimeException e) {
            tok.close();
            if (m != null) {
                m.close();
            }
            throw e;
        }
    }

    @Override
    public float[] embed(String text) {
        return embedAll(Collections.singletonList(text)).get(0);
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        guard.enter();
        try {
            int n = texts.size();
            float[][] out = new float[n][];
            if (n == 0) {
                return new ArrayList<float[]>();
            }
            List<String> clean = new ArrayList<String>(n);
            for (String t : texts) {
                clean.add(t == null ? "" : t);
            }
            final List<Encoding> enc = tokenizer.encodeAll(clean);
            int[] lengths = new int[n];
            for (int i = 0; i < n; i++) {
                lengths[i] = enc.get(i).length();
            }
            List<int[]> plan = BatchPlanner.plan(lengths, batchSize, tokenBudget);
            if (parallelism > 1 && plan.size() > 1) {
                runParallel(enc, plan, out);
            } else {
                for (int[] rows : plan) {
                    float[][] vecs = runBatch(enc, rows);
                    for (int i = 0; i < rows.length; i++) {
                        out[rows[i]] = vecs[i];
                    }
                }
            }
            return Arrays.asList(out);
        } finally {
            guard.exit();
        }
    }

    /** Runs the batches on {@code parallelism} threads at once (each engine call then uses its own intra-op threads). */
    private void runParallel(final List<Encoding> enc, final List<int[]> plan, final float[][] out) {
        final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        final RuntimeException[] failure = new RuntimeException[1];
        Runnable worker = new Runnable() {
            @Override
            public void run() {
                int k;
                while ((k = next.getAndIncrement()) < plan.size()) {
                    try {
                        int[] rows = plan.get(k);
                        float[][] vecs = runBatch(enc, rows);
                        for (int i = 0; i < rows.length; i++) {
                            out[rows[i]] = vecs[i];
                        }
                    } catch (RuntimeException e) {
                        synchronized (failure) {
                            if (failure[0] == null) {
                                failure[0] = e;
                            }
                        }
                        next.set(plan.size());
                    }
                }
            }
        };
        int n = Math.min(parallelism, plan.size());
        Thread[] threads = new Thread[n - 1];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(worker, "nnsdk-embed-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
        worker.run();
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while embedding", e);
            }
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private float[][] runBatch(List<Encoding> enc, int[] rows) {
        int b = rows.length;
        int seq = 1;
        int[] lengths = new int[b];
        for (int i = 0; i < b; i++) {
            lengths[i] = enc.get(rows[i]).length();
            seq = Math.max(seq, lengths[i]);
        }
        List<Tensor> inputs = new ArrayList<Tensor>(inputNames.size());
        for (int k = 0; k < inputNames.size(); k++) {
            LongBuffer buf = Tensor.allocateLongs(b * seq);
            for (int i = 0; i < b; i++) {
                Encoding e = enc.get(rows[i]);
                int base = i * seq;
                switch (inputKinds.get(k)) {
                    case IDS:
                        ((java.nio.Buffer) buf).position(base);
                        buf.put(e.ids());
                        break;
                    case MASK:
                        for (int t = 0; t < e.length(); t++) {
                            buf.put(base + t, 1L);
                        }
                        break;
                    default:
                        if (e.typeIds() != null) {
                            ((java.nio.Buffer) buf).position(base);
                            buf.put(e.typeIds());
                        }
                }
            }
            ((java.nio.Buffer) buf).clear();
            inputs.add(Tensor.ofLongs(inputNames.get(k), buf, b, seq));
        }
        Tensor out = model.run(inputs).get(outputIndex);
        int hidden = (int) out.dim(-1);
        dimension = hidden;
        TextSpec.Pooling pooling = out.rank() == 2 ? TextSpec.Pooling.NONE : spec.pooling();
        int outSeq = out.rank() == 3 ? (int) out.dim(1) : 1;
        FloatBuffer states = out.floatBuffer();
        return Pooling.pool(states, b, outSeq, hidden, lengths, pooling, spec.normalize());
    }

    @Override
    public int dimension() {
        int d = dimension;
        if (d < 0) {
            d = embed("dimension probe").length;
        }
        return d;
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public String engine() {
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
