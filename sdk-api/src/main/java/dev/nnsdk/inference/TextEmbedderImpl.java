package dev.nnsdk.inference;

import dev.nnsdk.engine.RunGuard;
import dev.nnsdk.io.Checksums;
import dev.nnsdk.text.Tokenizers;

import dev.nnsdk.repository.EngineSelection;
import dev.nnsdk.ModelLoadException;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.engine.EngineModel;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.format.OnnxOps;
import dev.nnsdk.repository.Artifact;
import dev.nnsdk.engine.Tensor;
import dev.nnsdk.engine.ThreadPlan;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.TextSpec;
import dev.nnsdk.text.Encoding;
import dev.nnsdk.text.Tokenizer;

import java.nio.FloatBuffer;
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


    private final ModelDescriptor descriptor;
    private final EngineModel model;
    private final Tokenizer tokenizer;
    private final TextSpec spec;
    private final int batchSize;
    private final int tokenBudget;
    private final int parallelism;
    private final TextFeeds feeds;
    private final int outputIndex;
    private final RunGuard guard;
    private volatile int dimension = -1;
    /** Workers for the engine calls that run beside the caller's own (parallelism - 1 daemon threads, made on first use). */
    private java.util.concurrent.ExecutorService workers;

    private TextEmbedderImpl(ModelDescriptor d, EngineModel model, Tokenizer tokenizer, int batchSize, int parallelism) {
        this.descriptor = d;
        this.model = model;
        this.tokenizer = tokenizer;
        this.spec = d.text();
        if (spec.dynamicQuantized()) {
            org.slf4j.LoggerFactory.getLogger(TextEmbedderImpl.class).debug("Model '{}' is dynamically quantised: one text "
                    + "per engine call so that a text's vector does not depend on its batch", d.id());
        }
        this.batchSize = spec.maxBatchSize() > 0 ? Math.min(batchSize, spec.maxBatchSize()) : batchSize;
        this.tokenBudget = tokenBudget();
        this.parallelism = parallelism;
        this.guard = new RunGuard("TextEmbedder(" + d.id() + ")");
        this.feeds = TextFeeds.of(d, model, "a text encoder");
        this.outputIndex = TextFeeds.outputIndex(d, model, spec.output());
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
            // The threads option is the model's budget: split into calls at once x threads per call (ThreadPlan's rule).
            ThreadPlan plan = ThreadPlan.forBudget(options.threads());
            m = EngineSelection.load(d, options.toBuilder().optThreads(plan.threadsPerCall()).build());
            return new TextEmbedderImpl(withQuantizationFlag(d, m), m, tok, options.batchSize(), plan.callsAtOnce());
        } catch (RuntimeException e) {
            tok.close();
            if (m != null) {
                m.close();
            }
            throw e;
        }
    }

    /**
     * The descriptor with {@link TextSpec#dynamicQuantized()} set when the ONNX graph the engine runs quantises its
     * activations at run time (whatever the descriptor said): such a model then runs one text per call.
     */
    static ModelDescriptor withQuantizationFlag(ModelDescriptor d, EngineModel m) {
        Artifact onnx = d.artifacts().get(ModelFormat.ONNX);
        if (d.text().dynamicQuantized() || !"onnx".equals(m.engineName()) || onnx == null
                || !java.nio.file.Files.isRegularFile(onnx.path()) || !OnnxOps.isDynamicallyQuantized(onnx.path())) {
            return d;
        }
        return d.withText(d.text().toBuilder().optDynamicQuantized(true).build());
    }

    @Override
    public float[] embed(String text) {
        return embedAll(Collections.singletonList(text)).get(0);
    }

    @Override
    public List<float[]> embedQueries(List<String> queries) {
        return embedWithPrompt(spec.queryPrompt(), queries);
    }

    @Override
    public List<float[]> embedDocuments(List<String> documents) {
        return embedWithPrompt(spec.documentPrompt(), documents);
    }

    /** Prompt + text; with {@code include_prompt: false} the prompt's tokens (after [CLS]) are left out of the pooling. */
    private List<float[]> embedWithPrompt(String prompt, List<String> texts) {
        List<String> prefixed = new ArrayList<String>(texts.size());
        for (String t : texts) {
            prefixed.add(prompt + (t == null ? "" : t));
        }
        int start = 0;
        if (!spec.poolPrompt() && !prompt.isEmpty()) {
            // sentence-transformers: prompt_length = len(tokenize(prompt).input_ids) - 1, mask[:, :prompt_length] = 0
            start = Math.max(0, tokenizer.encode(spec.lowerCase() ? prompt.toLowerCase(java.util.Locale.ROOT) : prompt)
                    .length() - 1);
        }
        return embedAll(prefixed, start);
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        return spec.windows() >= 2 ? embedWindows(texts) : embedAll(texts, 0);
    }

    /**
     * {@link TextSpec#windows()}: each text is cut where its truncated encoding ends (the character offset after its
     * last word piece), the rest is encoded again, up to {@code windows} times; every window is embedded as a text of
     * its own (so it gets the special tokens) and the text's vector is the mean of its windows' vectors, L2-normalised
     * again when the model normalises.
     */
    private List<float[]> embedWindows(List<String> texts) {
        int n = texts.size();
        List<String> pieces = new ArrayList<String>();
        int[] first = new int[n + 1];
        List<String> clean = new ArrayList<String>(n);
        for (String t : texts) {
            String c = t == null ? "" : t;
            clean.add(spec.lowerCase() ? c.toLowerCase(java.util.Locale.ROOT) : c);
        }
        List<Encoding> enc = tokenizer.encodeWithOffsets(clean);
        for (int i = 0; i < n; i++) {
            first[i] = pieces.size();
            String text = clean.get(i);
            pieces.add(text);
            Encoding e = enc.get(i);
            int start = 0;
            while (pieces.size() - first[i] < spec.windows() && e.length() >= spec.maxLength()) {
                int end = -1;
                for (int k = e.length() - 1; k >= 0; k--) {
                    if (!e.isSpecial(k)) {
                        end = e.end(k);
                        break;
                    }
                }
                if (end <= 0 || start + end >= text.length()) {
                    break;
                }
                start += end;
                String rest = text.substring(start);
                if (rest.trim().isEmpty()) {
                    break;
                }
                pieces.add(rest);
                e = tokenizer.encodeWithOffsets(Collections.singletonList(rest)).get(0);
            }
        }
        first[n] = pieces.size();
        if (feeds.hasWindowText()) {
            return embedGrouped(pieces, first, n);
        }
        List<float[]> vecs = embedAll(pieces, 0);
        List<float[]> out = new ArrayList<float[]>(n);
        for (int i = 0; i < n; i++) {
            int count = first[i + 1] - first[i];
            if (count == 1) {
                out.add(vecs.get(first[i]));
                continue;
            }
            float[] mean = new float[vecs.get(first[i]).length];
            for (int w = first[i]; w < first[i + 1]; w++) {
                float[] v = vecs.get(w);
                for (int j = 0; j < mean.length; j++) {
                    mean[j] += v[j] / count;
                }
            }
            if (spec.normalize()) {
                Pooling.l2Normalize(mean);
            }
            out.add(mean);
        }
        return out;
    }

    /**
     * A model that averages windows itself ({@link TextFeeds#hasWindowText()}): every window of a text goes into the
     * same engine call, with the text's index in the call; the output has one row per text. Texts are taken longest
     * first, as many per call as fit in the batch size and the token budget (a text's windows are never split); the
     * calls run side by side as the thread plan says, like {@link #embedAll(List, int)}'s batches.
     */
    private List<float[]> embedGrouped(List<String> pieces, final int[] first, int n) {
        guard.enter();
        try {
            final List<Encoding> enc = tokenizer.encodeAll(pieces);
            final int[] longest = new int[n];
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
                for (int w = first[i]; w < first[i + 1]; w++) {
                    longest[i] = Math.max(longest[i], enc.get(w).length());
                }
            }
            Arrays.sort(order, (a, c) -> Integer.compare(longest[c], longest[a]));
            List<int[]> plan = new ArrayList<int[]>();
            int at = 0;
            while (at < n) {
                int seq = Math.max(1, longest[order[at]]);
                int end = at;
                int windows = 0;
                while (end < n) {
                    int w = first[order[end] + 1] - first[order[end]];
                    if (end > at && ((windows + w) > batchSize || (long) (windows + w) * seq > tokenBudget)) {
                        break;
                    }
                    windows += w;
                    end++;
                }
                int[] texts = new int[end - at];
                for (int k = at; k < end; k++) {
                    texts[k - at] = order[k];
                }
                plan.add(texts);
                at = end;
            }
            float[][] out = new float[n][];
            runPlan(plan, out, texts -> runGroup(enc, first, longest, texts));
            return Arrays.asList(out);
        } finally {
            guard.exit();
        }
    }

    /** One engine call over every window of {@code texts} (window rows of text k are fed with window_text k). */
    private float[][] runGroup(List<Encoding> enc, int[] first, int[] longest, int[] texts) {
        int windows = 0;
        int seq = 1;
        for (int t : texts) {
            windows += first[t + 1] - first[t];
            seq = Math.max(seq, longest[t]);
        }
        int[] rows = new int[windows];
        long[] text = new long[windows];
        int r = 0;
        for (int k = 0; k < texts.length; k++) {
            for (int w = first[texts[k]]; w < first[texts[k] + 1]; w++) {
                rows[r] = w;
                text[r++] = k;
            }
        }
        Tensor t = model.run(feeds.tensors(enc, rows, seq, text)).get(outputIndex);
        if (t.rank() != 2 || t.dim(0) != texts.length) {
            throw new dev.nnsdk.EngineException("Model '" + descriptor.id() + "' takes "
                    + dev.nnsdk.repository.TextSpec.WINDOW_TEXT_INPUT + " but its output "
                    + Arrays.toString(t.shape()) + " is not one row per text (" + texts.length + " texts)");
        }
        int hidden = (int) t.dim(1);
        dimension = hidden;
        FloatBuffer fb = t.floatBuffer();
        float[][] out = new float[texts.length][];
        for (int k = 0; k < texts.length; k++) {
            out[k] = new float[hidden];
            fb.get(out[k]);
        }
        return out;
    }

    private List<float[]> embedAll(List<String> texts, final int poolStart) {
        guard.enter();
        try {
            int n = texts.size();
            float[][] out = new float[n][];
            if (n == 0) {
                return new ArrayList<float[]>();
            }
            List<String> clean = new ArrayList<String>(n);
            for (String t : texts) {
                String c = t == null ? "" : t;
                clean.add(spec.lowerCase() ? c.toLowerCase(java.util.Locale.ROOT) : c);
            }
            final List<Encoding> enc = tokenizer.encodeAll(clean);
            int[] lengths = new int[n];
            for (int i = 0; i < n; i++) {
                lengths[i] = enc.get(i).length();
            }
            // a small request is planned so that the calls side by side get even shares (no idle core, no straggler)
            List<int[]> plan = BatchPlanner.plan(lengths, batchSize, tokenBudget, parallelism);
            runPlan(plan, out, rows -> runBatch(enc, rows, poolStart));
            return Arrays.asList(out);
        } finally {
            guard.exit();
        }
    }

    /**
     * Runs every batch of {@code plan} ({@code batch} maps the output rows of one engine call to their vectors) and
     * writes the vectors to {@code out}: side by side when the thread plan allows, else one after the other. An
     * already interrupted caller takes the sequential path: one batch, then the documented cancellation.
     */
    private void runPlan(List<int[]> plan, float[][] out, java.util.function.Function<int[], float[][]> batch) {
        if (parallelism > 1 && plan.size() > 1 && !Thread.currentThread().isInterrupted()) {
            runParallel(plan, out, batch);
            return;
        }
        int done = 0;
        for (int[] rows : plan) {
            if (done > 0) {
                dev.nnsdk.CancelledException.checkInterrupted("embedAll after " + done + " of " + out.length + " texts");
            }
            done += rows.length;
            float[][] vecs = batch.apply(rows);
            for (int i = 0; i < rows.length; i++) {
                out[rows[i]] = vecs[i];
            }
        }
    }

    /**
     * Runs the batches on {@code parallelism} threads at once (each engine call then uses its own intra-op threads):
     * the caller and up to {@code parallelism - 1} of this embedder's workers take the next batch until none is left.
     * An interrupt of the calling thread stops every worker before its next batch, as the sequential path does.
     */
    private void runParallel(final List<int[]> plan, final float[][] out,
                             final java.util.function.Function<int[], float[][]> batch) {
        final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger doneTexts = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        final Throwable[] failure = new Throwable[1];
        final Thread caller = Thread.currentThread();
        Runnable worker = new Runnable() {
            @Override
            public void run() {
                int k;
                while ((k = next.getAndIncrement()) < plan.size()) {
                    if (k > 0 && caller.isInterrupted()) {
                        cancelled.set(true);
                        next.set(plan.size());
                        break;
                    }
                    try {
                        int[] rows = plan.get(k);
                        float[][] vecs = batch.apply(rows);
                        for (int i = 0; i < rows.length; i++) {
                            out[rows[i]] = vecs[i];
                        }
                        doneTexts.addAndGet(rows.length);
                    } catch (RuntimeException | Error e) {
                        // an Error on a worker must reach the caller too, or its texts would come back without vectors
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
        // The other calls run on this embedder's long-lived workers rather than on a thread started per embedAll (a
        // server's many small requests would each start one, and the engines keep per-thread state). A worker that
        // starts after the batches are gone returns at once and is not waited for.
        final Object lock = new Object();
        final int[] running = {1};
        final boolean[] finished = {false};
        Runnable pooled = () -> {
            synchronized (lock) {
                if (finished[0]) {
                    return;
                }
                running[0]++;
            }
            try {
                worker.run();
            } finally {
                synchronized (lock) {
                    running[0]--;
                    lock.notifyAll();
                }
            }
        };
        int n = Math.min(parallelism, plan.size());
        java.util.concurrent.ExecutorService pool = workers();
        for (int i = 0; i < n - 1; i++) {
            pool.execute(pooled);
        }
        worker.run();
        boolean interrupted = false;
        synchronized (lock) {
            finished[0] = true;
            running[0]--;
            while (running[0] > 0) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    // stop handing out batches, wait for the running ones (they finish their engine call), keep the flag
                    interrupted = true;
                    cancelled.set(true);
                    next.set(plan.size());
                }
            }
        }
        if (interrupted) {
            caller.interrupt();
        }
        if (failure[0] instanceof Error) {
            throw (Error) failure[0];
        }
        if (failure[0] != null) {
            throw (RuntimeException) failure[0];
        }
        if (cancelled.get()) {
            int total = 0;
            for (int[] rows : plan) {
                total += rows.length;
            }
            throw new dev.nnsdk.CancelledException("Interrupted: embedAll after " + doneTexts.get() + " of " + total
                    + " texts stopped");
        }
    }

    private float[][] runBatch(List<Encoding> enc, int[] rows, int poolStart) {
        int b = rows.length;
        int seq = 1;
        int[] lengths = new int[b];
        for (int i = 0; i < b; i++) {
            lengths[i] = enc.get(rows[i]).length();
            seq = Math.max(seq, lengths[i]);
        }
        Tensor out = model.run(feeds.tensors(enc, rows, seq)).get(outputIndex);
        int hidden = (int) out.dim(-1);
        dimension = hidden;
        TextSpec.Pooling pooling = out.rank() == 2 ? TextSpec.Pooling.NONE : spec.pooling();
        int outSeq = out.rank() == 3 ? (int) out.dim(1) : 1;
        FloatBuffer states = out.floatBuffer();
        int[] starts = null;
        if (poolStart > 0) {
            starts = new int[b];
            Arrays.fill(starts, poolStart);
        }
        return Pooling.pool(states, b, outSeq, hidden, lengths, starts, pooling, spec.normalize());
    }

    /** Whether the model averages the windows of a text itself (it takes {@link TextSpec#WINDOW_TEXT_INPUT}). */
    boolean averagesWindows() {
        return feeds.hasWindowText();
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

    private synchronized java.util.concurrent.ExecutorService workers() {
        if (workers == null) {
            final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
            workers = java.util.concurrent.Executors.newFixedThreadPool(parallelism - 1, r -> {
                Thread t = new Thread(r, "nnsdk-embed-" + count.getAndIncrement());
                t.setDaemon(true);
                return t;
            });
        }
        return workers;
    }

    @Override
    public void close() {
        if (guard.close()) {
            try {
                model.close();
            } finally {
                try {
                    tokenizer.close();
                } finally {
                    synchronized (this) {
                        if (workers != null) {
                            workers.shutdown();
                        }
                    }
                }
            }
        }
    }
}
