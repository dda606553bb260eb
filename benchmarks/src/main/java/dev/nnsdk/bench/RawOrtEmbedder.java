package dev.nnsdk.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The same work as the SDK written directly against the ONNX Runtime Java API, as a careful user
 * would: the same model file and tokenizer file, the same session options as the SDK's
 * {@code OnnxEngine} (ALL_OPT, sequential, 1 inter-op thread, N intra-op threads, no spinning unless
 * {@code nnsdk.onnx.spinning=true}), Hugging Face
 * batch tokenisation, right-padded direct-buffer int64 inputs per batch of {@code batchSize} texts in
 * the order given, {@code last_hidden_state} mean-pooled over real tokens and L2-normalised. It does
 * not sort by length: the overhead benchmark feeds both sides batches of exactly {@code batchSize}.
 */
public final class RawOrtEmbedder implements Embedder {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final int batchSize;
    private final String name;

    public RawOrtEmbedder(Path modelFile, Path tokenizerFile, int maxLength, int threads, int batchSize) {
        this(modelFile, tokenizerFile, maxLength, threads, batchSize, "");
    }

    /**
     * @param variant session-option experiment on top of the SDK's options: "" (none), "spin" / "nospin"
     *                (intra-op threads busy-wait / sleep between ops), "nomempattern" (no memory-pattern
     *                planning), "noarena" (no CPU arena allocator)
     */
    public RawOrtEmbedder(Path modelFile, Path tokenizerFile, int maxLength, int threads, int batchSize, String variant) {
        this.batchSize = batchSize;
        this.name = variant.isEmpty() ? "raw-ort" : "raw-ort-" + variant;
        this.env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setInterOpNumThreads(1);
            if (threads > 0) {
                so.setIntraOpNumThreads(threads);
            }
            boolean spin = Boolean.parseBoolean(System.getProperty("nnsdk.onnx.spinning", "false"));
            switch (variant) {
                case "":
                    break;
                case "spin":
                    spin = true;
                    break;
                case "nospin":
                    spin = false;
                    break;
                case "nomempattern":
                    so.setMemoryPatternOptimization(false);
                    break;
                case "noarena":
                    so.setCPUArenaAllocator(false);
                    break;
                default:
                    throw new IllegalArgumentException("Unknown raw ORT variant '" + variant + "'");
            }
            if (!spin) {
                so.addConfigEntry("session.intra_op.allow_spinning", "0");
            }
            this.session = env.createSession(modelFile.toString(), so);
            this.tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerFile).optMaxLength(maxLength)
                    .optTruncation(true).optPadding(false).optAddSpecialTokens(true).build();
        } catch (OrtException e) {
            throw new IllegalStateException("raw ORT: cannot load " + modelFile + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        Encoding[] enc = tokenizer.batchEncode(texts);
        List<float[]> out = new ArrayList<float[]>(texts.size());
        for (int start = 0; start < enc.length; start += batchSize) {
            int end = Math.min(enc.length, start + batchSize);
            try {
                runBatch(enc, start, end, out);
            } catch (OrtException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private void runBatch(Encoding[] enc, int start, int end, List<float[]> out) throws OrtException {
        int b = end - start;
        int seq = 1;
        for (int i = start; i < end; i++) {
            seq = Math.max(seq, enc[i].getIds().length);
        }
        LongBuffer ids = direct(b * seq);
        LongBuffer mask = direct(b * seq);
        LongBuffer types = direct(b * seq);
        for (int i = 0; i < b; i++) {
            Encoding e = enc[start + i];
            ((java.nio.Buffer) ids).position(i * seq);
            ids.put(e.getIds());
            ((java.nio.Buffer) types).position(i * seq);
            types.put(e.getTypeIds());
            for (int t = 0; t < e.getIds().length; t++) {
                mask.put(i * seq + t, 1L);
            }
        }
        ((java.nio.Buffer) ids).clear();
        ((java.nio.Buffer) types).clear();
        long[] shape = {b, seq};
        Map<String, OnnxTensor> feed = new HashMap<String, OnnxTensor>();
        try {
            feed.put("input_ids", OnnxTensor.createTensor(env, ids, shape));
            feed.put("attention_mask", OnnxTensor.createTensor(env, mask, shape));
            feed.put("token_type_ids", OnnxTensor.createTensor(env, types, shape));
            try (OrtSession.Result r = session.run(feed)) {
                OnnxTensor states = (OnnxTensor) r.get(0);
                FloatBuffer fb = states.getFloatBuffer();
                int hidden = (int) states.getInfo().getShape()[2];
                for (int i = 0; i < b; i++) {
                    int n = enc[start + i].getIds().length;
                    float[] v = new float[hidden];
                    int base = i * seq * hidden;
                    for (int t = 0; t < n; t++) {
                        int off = base + t * hidden;
                        for (int h = 0; h < hidden; h++) {
                            v[h] += fb.get(off + h);
                        }
                    }
                    double norm = 0;
                    for (int h = 0; h < hidden; h++) {
                        v[h] /= n;
                        norm += (double) v[h] * v[h];
                    }
                    float inv = (float) (1 / Math.sqrt(norm));
                    for (int h = 0; h < hidden; h++) {
                        v[h] *= inv;
                    }
                    out.add(v);
                }
            }
        } finally {
            for (OnnxTensor t : feed.values()) {
                t.close();
            }
        }
    }

    private static LongBuffer direct(int n) {
        return ByteBuffer.allocateDirect(n * 8).order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    @Override
    public void close() {
        tokenizer.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
