package dev.nnsdk.djl.training;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.nnsdk.InvalidInputException;
import dev.nnsdk.ModelLoadException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TorchScript text encoder (inputs {@code input_ids, attention_mask, token_type_ids}, output
 * {@code last_hidden_state}) with mean pooling over the mask, L2 normalisation and a linear head,
 * trained end to end: which backbone parameters train is a {@link #select selection}
 * ({@code none}, {@code last:N} numbered layers, {@code all}); the update is AdamW (decoupled weight
 * decay, not on biases and norm parameters, i.e. on no tensor of rank &lt; 2), with separate learning
 * rates for the backbone and the head and a layer-wise decay, global-norm gradient clipping and
 * gradient accumulation (call {@link #accumulate} per micro-batch, then {@link #update}).
 *
 * <pre>{@code
 * try (TrainingSession s = TrainingSession.open(42);
 *      TorchScriptClassifier m = TorchScriptClassifier.load(s, Path.of("model.pt"), 2, w, b, "last:2", settings)) {
 *     double loss = m.accumulate(ids, mask, types, batch, seq, labels, 1.0);
 *     m.update(2e-5, 1e-3, 1);
 * }
 * }</pre>
 */
public final class TorchScriptClassifier implements AutoCloseable {
    private static final Pattern LAYER = Pattern.compile("(?:^|\\.)(?:layer|layers|blocks|block|features|h)\\.(\\d+)\\.");

    /** Training knobs of the backbone update. */
    public static final class Settings {
        final double weightDecay;
        final double layerDecay;
        final double clipNorm;
        final double beta1;
        final double beta2;
        final double epsilon;

        /**
         * @param weightDecay decoupled weight decay on rank >= 2 tensors (>= 0)
         * @param layerDecay  learning-rate factor per layer below the top one (in (0, 1]; 1 = none)
         * @param clipNorm    global gradient-norm clip (> 0, or +infinity for none)
         */
        public Settings(double weightDecay, double layerDecay, double clipNorm) {
            if (!(weightDecay >= 0)) {
                throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
            }
            if (!(layerDecay > 0 && layerDecay <= 1)) {
                throw new IllegalArgumentException("layer-wise learning-rate decay must be in (0, 1], got " + layerDecay);
            }
            if (!(clipNorm > 0)) {
                throw new IllegalArgumentException("gradient clip value must be a positive number, got " + clipNorm);
            }
            this.weightDecay = weightDecay;
            this.layerDecay = layerDecay;
            this.clipNorm = clipNorm;
            this.beta1 = 0.9;
            this.beta2 = 0.999;
            this.epsilon = 1e-8;
        }
    }

    private final TrainingSession session;
    private final Model model;
    private final PtSymbolBlock block;
    private final ParameterStore store;
    private final List<String> names = new ArrayList<String>();
    private final Map<String, NDArray> all = new LinkedHashMap<String, NDArray>();
    private final List<String> trainable = new ArrayList<String>();
    private final Map<String, Double> lrFactor = new HashMap<String, Double>();
    private final Map<String, NDArray> acc = new LinkedHashMap<String, NDArray>();
    private final Map<String, NDArray> m1 = new LinkedHashMap<String, NDArray>();
    private final Map<String, NDArray> m2 = new LinkedHashMap<String, NDArray>();
    private final NDArray headW;
    private final NDArray headB;
    private final Settings settings;
    private final int layers;
    private int lastCorrect;

    private TorchScriptClassifier(TrainingSession session, Model model, int classes, float[] w, float[] b,
                                  String selection, Settings settings) {
        this.session = session;
        this.model = model;
        this.settings = settings;
        if (!(model.getBlock() instanceof PtSymbolBlock)) {
            throw new ModelLoadException("not a TorchScript module");
        }
        this.block = (PtSymbolBlock) model.getBlock();
        this.store = new ParameterStore(session.manager, false);
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            names.add(p.getKey());
            all.put(p.getKey(), p.getValue().getArray());
        }
        int top = -1;
        for (String n : names) {
            Matcher m = LAYER.matcher(n);
            if (m.find()) {
                top = Math.max(top, Integer.parseInt(m.group(1)));
            }
        }
        this.layers = top + 1;
        List<String> chosen = select(names, selection);
        for (String n : names) {
            NDArray a = all.get(n);
            boolean on = chosen.contains(n);
            a.setRequiresGradient(on);
            if (on) {
                trainable.add(n);
                int layer = layerOf(n);
                int depth = layer < 0 ? (isAfterLayers(n) ? 0 : layers) : top - layer;
                lrFactor.put(n, Math.pow(settings.layerDecay, depth));
                acc.put(n, session.manager.zeros(a.getShape()));
                m1.put(n, session.manager.zeros(a.getShape()));
                m2.put(n, session.manager.zeros(a.getShape()));
            }
        }
        if (w.length == 0) {
            int hidden = hiddenSize();
            w = new float[classes * hidden];
            b = new float[classes];
        }
        int d = (int) (w.length / classes);
        this.headW = session.manager.create(w, new Shape(classes, d));
        this.headB = session.manager.create(b, new Shape(classes));
        headW.setRequiresGradient(true);
        headB.setRequiresGradient(true);
        for (String n : new String[] {"head.weight", "head.bias"}) {
            NDArray a = "head.weight".equals(n) ? headW : headB;
            acc.put(n, session.manager.zeros(a.getShape()));
            m1.put(n, session.manager.zeros(a.getShape()));
            m2.put(n, session.manager.zeros(a.getShape()));
        }
    }

    /** The width of the encoder's output, from one forward pass over a two-token input. */
    private int hiddenSize() {
        try (NDScope scope = new NDScope()) {
            boolean grad = ai.djl.pytorch.jni.JniUtils.isGradMode();
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
            try {
                NDManager mgr = session.manager;
                Shape s = new Shape(1, 2);
                NDList out = block.forward(store, new NDList(mgr.create(new long[] {101, 102}, s),
                        mgr.create(new long[] {1, 1}, s), mgr.create(new long[] {0, 0}, s)), false);
                Shape h = out.get(0).getShape();
                if (h.dimension() != 3) {
                    throw new ModelLoadException("The TorchScript encoder's first output has shape " + h
                            + "; expected last_hidden_state [batch, seq, hidden]");
                }
                return (int) h.get(2);
            } finally {
                ai.djl.pytorch.jni.JniUtils.setGradMode(grad);
            }
        }
    }

    /**
     * Loads {@code torchscript} with its parameters trainable, and a linear head {@code w} (classes x
     * hidden, row-major) / {@code b} on the pooled, normalised output; an empty {@code w} means a zero head of the
     * encoder's own width ({@link #hiddenSize()}).
     *
     * @param selection {@code none}, {@code all} or {@code last:N}
     */
    public static TorchScriptClassifier load(TrainingSession session, Path torchscript, int classes, float[] w, float[] b,
                                             String selection, Settings settings) {
        Model model = Model.newInstance("backbone", ai.djl.Device.cpu(), "PyTorch");
        try {
            Map<String, String> options = new HashMap<String, String>();
            options.put("mapLocation", "true");
            options.put("trainParam", "true");
            model.load(torchscript, null, options);
            return new TorchScriptClassifier(session, model, classes, w, b, selection, settings);
        } catch (IOException | ai.djl.MalformedModelException e) {
            model.close();
            throw new ModelLoadException("Cannot load TorchScript model file " + torchscript + " for training: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The backbone parameters {@code selection} trains, in module order. */
    static List<String> select(List<String> names, String selection) {
        if ("none".equals(selection)) {
            return new ArrayList<String>();
        }
        if ("all".equals(selection)) {
            return new ArrayList<String>(names);
        }
        if (selection == null || !selection.startsWith("last:")) {
            throw new InvalidInputException("Unknown backbone selection '" + selection + "': expected none, last:N or all");
        }
        int n;
        try {
            n = Integer.parseInt(selection.substring(5));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("Backbone selection '" + selection + "': N must be a whole number >= 1");
        }
        TreeSet<Integer> indices = new TreeSet<Integer>();
        for (String p : names) {
            int l = layerOf(p);
            if (l >= 0) {
                indices.add(l);
            }
        }
        if (indices.isEmpty()) {
            throw new InvalidInputException("Backbone selection '" + selection + "': the TorchScript module has no "
                    + "numbered layers (parameter names like encoder.layer.5.*); use all");
        }
        if (n < 1 || n > indices.size()) {
            throw new InvalidInputException("Backbone selection '" + selection + "': N must be in 1.." + indices.size()
                    + " (the module has " + indices.size() + " numbered layers)");
        }
        int from = indices.last() - n + 1;
        List<String> out = new ArrayList<String>();
        for (String p : names) {
            int l = layerOf(p);
            if (l >= from || (l < 0 && isAfterLayers(p))) {
                out.add(p);
            }
        }
        return out;
    }

    private static int layerOf(String name) {
        Matcher m = LAYER.matcher(name);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** Unnumbered parameters that sit above the layer stack (e.g. a pooler or final norm), trained with the top layers. */
    private static boolean isAfterLayers(String name) {
        return name.startsWith("pooler.") || name.startsWith("final_") || name.startsWith("norm.")
                || name.startsWith("classifier.");
    }

    /** All parameter names of the module, in order. */
    public List<String> parameterNames() {
        return new ArrayList<String>(names);
    }

    /** The width of the pooled features (the head's input). */
    public int featureSize() {
        return (int) headW.getShape().get(1);
    }

    /** The trained backbone parameter names. */
    public List<String> trainableParameterNames() {
        return new ArrayList<String>(trainable);
    }

    /** Numbered layers of the module (0 when it has none). */
    public int layers() {
        return layers;
    }

    private NDArray pooledLogits(long[] ids, long[] mask, long[] types, int batch, int seq) {
        NDManager mgr = session.manager;
        Shape s = new Shape(batch, seq);
        NDArray maskArr = mgr.create(mask, s);
        NDList out = block.forward(store, new NDList(mgr.create(ids, s), maskArr, mgr.create(types, s)), true);
        NDArray hidden = out.get(0);
        NDArray m = maskArr.toType(DataType.FLOAT32, false).expandDims(2);
        NDArray pooled = hidden.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}).maximum(1e-9f));
        NDArray norm = pooled.square().sum(new int[] {1}, true).sqrt().maximum(1e-12f);
        return pooled.div(norm).matMul(headW.transpose()).add(headB);
    }

    /**
     * Forward and backward of one micro-batch (row-major [batch, seq] int64 inputs, right-padded), its
     * mean cross-entropy scaled by {@code scale} (1 / micro-batches per step) added to the accumulated
     * gradients. Returns the unscaled mean loss.
     */
    public double accumulate(long[] ids, long[] mask, long[] types, int batch, int seq, int[] labels, double scale) {
        NDManager mgr = session.manager;
        try (NDScope scope = new NDScope()) {
            NDArray loss;
            try (GradientCollector gc = session.engine.newGradientCollector()) {
                NDArray logits = pooledLogits(ids, mask, types, batch, seq);
                int[] pred = logits.argMax(1).toType(DataType.INT32, false).toIntArray();
                int right = 0;
                for (int i = 0; i < pred.length; i++) {
                    right += pred[i] == labels[i] ? 1 : 0;
                }
                lastCorrect = right;
                long[] y = new long[labels.length];
                for (int i = 0; i < y.length; i++) {
                    y[i] = labels[i];
                }
                NDArray onehot = mgr.create(y).oneHot((int) headB.getShape().get(0));
                loss = logits.logSoftmax(1).mul(onehot).sum().mul((float) (-1.0 / batch));
                gc.backward(loss.mul((float) scale));
            }
            for (Map.Entry<String, NDArray> e : acc.entrySet()) {
                NDArray p = param(e.getKey());
                NDArray g = p.getGradient();
                e.getValue().addi(g);
                g.muli(0f);
            }
            return loss.getFloat();
        }
    }

    /** How many examples of the last {@link #accumulate} micro-batch the model classified right (before the update). */
    public int lastCorrect() {
        return lastCorrect;
    }

    private NDArray param(String name) {
        if ("head.weight".equals(name)) {
            return headW;
        }
        if ("head.bias".equals(name)) {
            return headB;
        }
        return all.get(name);
    }

    /**
     * Applies the accumulated gradients (step {@code t}, 1-based): clip to the global norm, AdamW with
     * {@code lrBackbone} (times the layer-wise factor) and {@code lrHead}, then clears them. Returns the
     * gradient norm before clipping; a NaN or infinite norm is returned without any update (the weights keep
     * their last finite values, so a caller can stop with a good model).
     */
    public double update(double lrBackbone, double lrHead, long t) {
        try (NDScope scope = new NDScope()) {
            double sq = 0;
            for (NDArray g : acc.values()) {
                sq += g.square().sum().getFloat();
            }
            double norm = Math.sqrt(sq);
            if (Double.isNaN(norm) || Double.isInfinite(norm)) {
                for (NDArray g : acc.values()) {
                    g.muli(0f);
                }
                return norm;   // diverged: the weights stay as they were before this step
            }
            float clip = norm > settings.clipNorm ? (float) (settings.clipNorm / (norm + 1e-6)) : 1f;
            double c1 = 1 - Math.pow(settings.beta1, t);
            double c2 = Math.sqrt(1 - Math.pow(settings.beta2, t));
            for (Map.Entry<String, NDArray> e : acc.entrySet()) {
                String n = e.getKey();
                NDArray p = param(n);
                NDArray g = clip == 1f ? e.getValue() : e.getValue().mul(clip);
                double lr = n.startsWith("head.") ? lrHead : lrBackbone * lrFactor.get(n);
                if (settings.weightDecay > 0 && p.getShape().dimension() >= 2) {
                    p.muli((float) (1 - lr * settings.weightDecay));
                }
                p.getNDArrayInternal().adamUpdate(new NDList(p, g, m1.get(n), m2.get(n)), new NDList(p), 0f,
                        (float) (lr * c2 / c1), 0f, 1f, -1f, (float) settings.beta1, (float) settings.beta2,
                        (float) (settings.epsilon * c2), false, false);
                e.getValue().muli(0f);
            }
            return norm;
        }
    }

    /** The pooled, L2-normalised features of a batch (no gradients), [batch][hidden]. */
    public float[][] features(long[] ids, long[] mask, long[] types, int batch, int seq) {
        try (NDScope scope = new NDScope()) {
            boolean grad = ai.djl.pytorch.jni.JniUtils.isGradMode();
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
            try {
                NDManager mgr = session.manager;
                Shape s = new Shape(batch, seq);
                NDArray maskArr = mgr.create(mask, s);
                NDList out = block.forward(store, new NDList(mgr.create(ids, s), maskArr, mgr.create(types, s)), false);
                NDArray m = maskArr.toType(DataType.FLOAT32, false).expandDims(2);
                NDArray pooled = out.get(0).mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}).maximum(1e-9f));
                NDArray norm = pooled.square().sum(new int[] {1}, true).sqrt().maximum(1e-12f);
                float[] f = pooled.div(norm).toFloatArray();
                int d = f.length / batch;
                float[][] rows = new float[batch][d];
                for (int i = 0; i < batch; i++) {
                    System.arraycopy(f, i * d, rows[i], 0, d);
                }
                return rows;
            } finally {
                ai.djl.pytorch.jni.JniUtils.setGradMode(grad);
            }
        }
    }

    /** Replaces the head's weights (classes x hidden, row-major) and bias, e.g. with a linear probe's fit. */
    public void setHead(float[] w, float[] b) {
        if (w.length != headW.getShape().size() || b.length != headB.getShape().size()) {
            throw new IllegalArgumentException("head needs " + headW.getShape() + " weights and " + headB.getShape()
                    + " biases, got " + w.length + " and " + b.length);
        }
        noGrad(() -> {
            headW.set(w);
            headB.set(b);
        });
    }

    /** Runs {@code r} with autograd off (in-place writes into leaf tensors that require gradients). */
    private static void noGrad(Runnable r) {
        boolean grad = ai.djl.pytorch.jni.JniUtils.isGradMode();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        try {
            r.run();
        } finally {
            ai.djl.pytorch.jni.JniUtils.setGradMode(grad);
        }
    }

    /**
     * Writes the backbone module with its current (trained) parameter values as a TorchScript archive (the
     * {@code torch.jit.save} format, loadable by DJL and by {@code torch.jit.load}); the head is not part of it.
     */
    public void save(java.io.OutputStream out) {
        ai.djl.pytorch.jni.JniUtils.writeModule(block, out, false);
    }

    /**
     * The optimizer state to checkpoint, in a fixed order: for each trained tensor (backbone parameters in module
     * order, then {@code head.weight}, {@code head.bias}) its name, value, first and second Adam moments.
     */
    public List<NamedState> state() {
        List<NamedState> out = new ArrayList<NamedState>();
        for (String n : acc.keySet()) {
            out.add(new NamedState(n, param(n).toFloatArray(), m1.get(n).toFloatArray(), m2.get(n).toFloatArray()));
        }
        return out;
    }

    /** Restores a {@link #state()} (same module, same selection); entries without moments restore the values only. */
    public void restore(List<NamedState> state) {
        if (state.size() != acc.size()) {
            throw new IllegalArgumentException("checkpoint holds " + state.size() + " trained tensors, this run trains "
                    + acc.size());
        }
        for (NamedState s : state) {
            if (!acc.containsKey(s.name) || param(s.name).getShape().size() != s.value.length) {
                throw new IllegalArgumentException("checkpoint tensor " + s.name + " (" + s.value.length
                        + " values) is not one this run trains");
            }
        }
        noGrad(() -> {
            for (NamedState s : state) {
                param(s.name).set(s.value);
                if (s.moment1 != null) {
                    m1.get(s.name).set(s.moment1);
                    m2.get(s.name).set(s.moment2);
                }
            }
        });
    }

    /** One trained tensor's value and Adam moments (plain arrays). */
    public static final class NamedState {
        public final String name;
        public final float[] value;
        public final float[] moment1;
        public final float[] moment2;

        public NamedState(String name, float[] value, float[] moment1, float[] moment2) {
            this.name = name;
            this.value = value;
            this.moment1 = moment1;
            this.moment2 = moment2;
        }
    }

    /** Sets backbone parameter {@code name} (or {@code head.weight} / {@code head.bias}) to {@code value}. */
    public void setParameter(String name, float[] value) {
        NDArray p = param(name);
        if (p == null || p.getShape().size() != value.length) {
            throw new IllegalArgumentException("No parameter " + name + " with " + value.length + " values");
        }
        noGrad(() -> p.set(value));
    }

    /** Class probabilities of a batch (no gradients). */
    public float[][] probabilities(long[] ids, long[] mask, long[] types, int batch, int seq) {
        try (NDScope scope = new NDScope()) {
            boolean grad = ai.djl.pytorch.jni.JniUtils.isGradMode();
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
            try {
                float[] p = pooledLogits(ids, mask, types, batch, seq).softmax(1).toFloatArray();
                int k = (int) headB.getShape().get(0);
                float[][] out = new float[batch][k];
                for (int i = 0; i < batch; i++) {
                    System.arraycopy(p, i * k, out[i], 0, k);
                }
                return out;
            } finally {
                ai.djl.pytorch.jni.JniUtils.setGradMode(grad);
            }
        }
    }

    /** The current value of a backbone parameter (module name) or {@code head.weight} / {@code head.bias}. */
    public float[] parameter(String name) {
        NDArray p = param(name);
        if (p == null) {
            throw new IllegalArgumentException("No parameter " + name);
        }
        return p.toFloatArray();
    }

    /** The shape of a parameter. */
    public long[] shape(String name) {
        return param(name).getShape().getShape();
    }

    @Override
    public void close() {
        model.close();
    }
}
