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
 * A TorchScript backbone with a linear head, trained end to end. Two kinds of backbone:
 * <ul>
 *   <li>a text encoder ({@link #load}: inputs {@code input_ids, attention_mask, token_type_ids}, output
 *       {@code last_hidden_state}) with mean pooling over the mask and L2 normalisation before the head;</li>
 *   <li>an image model ({@link #loadImage}: one preprocessed image tensor in, the head reads its features output
 *       as it is, e.g. MobileNetV2's global-average-pooled [batch, 1280]).</li>
 * </ul>
 * Which backbone parameters train is a {@link #select selection} ({@code none}, {@code last:N} numbered layers or
 * blocks, {@code all}); running statistics of BatchNorm layers never train (a traced module's {@code batch_norm}
 * has {@code training=False} baked in, so its running mean and variance are fixed inputs), and the module's own
 * classification layers after the features output (Keras {@code dense_*}, {@code predictions}) are left out. The
 * update is AdamW (decoupled weight decay, not on biases and norm parameters, i.e. on no tensor of rank &lt; 2),
 * with separate learning rates for the backbone and the head and a layer-wise decay, global-norm gradient
 * clipping and gradient accumulation (call {@link #accumulate} per micro-batch, then {@link #update}).
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
    /**
     * A numbered layer or block: {@code encoder.layer.5.} (BERT), {@code blocks.3.}, {@code features.7.} (torchvision),
     * or a Keras-named inverted-residual block {@code block_16_} ({@code expanded_conv_} is Keras MobileNetV2's block 0).
     */
    private static final Pattern LAYER = Pattern.compile(
            "(?:^|\\.)(?:(?:layer|layers|blocks|block|features|h)\\.(\\d+)\\.|block_(\\d+)_|(expanded_conv)_)");
    /** BatchNorm running statistics: inputs of an eval-mode {@code batch_norm}, never trained. */
    private static final Pattern RUNNING_STATS = Pattern.compile(
            "(?i)(moving_mean|moving_variance|running_mean|running_var|num_batches_tracked)$");
    /** BatchNorm scale and shift (Keras {@code *_BN__gamma}/{@code __beta}, PyTorch {@code bn1.weight}/{@code .bias}). */
    private static final Pattern BATCH_NORM_AFFINE = Pattern.compile(
            "(?i)(?:(?:^|[._])(?:bn|batchnorm|batch_norm)[^.]*__(?:gamma|beta)|(?:^|\\.)(?:bn\\d*|batchnorm\\d*)\\.(?:weight|bias))$");
    /** An image module's own classification layers, after its features output (Keras MobileNet names). */
    private static final Pattern IMAGE_TOP = Pattern.compile("(?:^|\\.)(?:dense_\\d+|predictions|logits|fc)(?:_|\\.)");

    /** Training knobs of the backbone update. */
    public static final class Settings {
        final double weightDecay;
        final double layerDecay;
        final double clipNorm;
        final double beta1;
        final double beta2;
        final double epsilon;
        final boolean trainBatchNorm;

        /**
         * @param weightDecay decoupled weight decay on rank >= 2 tensors (>= 0)
         * @param layerDecay  learning-rate factor per layer below the top one (in (0, 1]; 1 = none)
         * @param clipNorm    global gradient-norm clip (> 0, or +infinity for none)
         */
        public Settings(double weightDecay, double layerDecay, double clipNorm) {
            this(weightDecay, layerDecay, clipNorm, true);
        }

        /**
         * @param trainBatchNorm whether the BatchNorm scale and shift of the trained layers train too ({@code false}:
         *                       frozen with the running statistics, which never train)
         */
        public Settings(double weightDecay, double layerDecay, double clipNorm, boolean trainBatchNorm) {
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
            this.trainBatchNorm = trainBatchNorm;
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
    /** {@code null} for a text encoder; else the shape of one image input ([1, ...]) and the features output's index. */
    private final long[] imageShape;
    private final int featuresOutput;
    private int lastCorrect;

    private TorchScriptClassifier(TrainingSession session, Model model, int classes, float[] w, float[] b,
                                  String selection, Settings settings, long[] imageShape, int featuresOutput) {
        this.session = session;
        this.model = model;
        this.settings = settings;
        this.imageShape = imageShape;
        this.featuresOutput = featuresOutput;
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
            top = Math.max(top, layerOf(n));
        }
        this.layers = top + 1;
        // DJL switches a TorchScript block to training mode on its first forward with training=true (and back on one
        // with false), and that switch sets requires_grad on EVERY parameter of the module: BatchNorm running
        // statistics included, which libtorch then refuses ("native_batch_norm is not differentiable with respect to
        // running_mean"), and frozen layers would get a full backward pass. So the block is put in training mode once
        // here, by the width probe, BEFORE the trainable parameters are chosen, and every later forward passes
        // training=true (inference runs with autograd off instead; a traced module's behaviour does not depend on the
        // flag: its batch_norm and dropout modes are baked into the graph).
        int width = hiddenSize();
        List<String> chosen = select(names, selection);
        chosen.removeIf(n -> !trainable(n, imageShape != null, settings.trainBatchNorm));
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
            w = new float[classes * width];
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

    /** The width of the encoder's output, from one forward pass over a two-token input (or a zero image). */
    private int hiddenSize() {
        try (NDScope scope = new NDScope()) {
            boolean grad = ai.djl.pytorch.jni.JniUtils.isGradMode();
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
            try {
                NDManager mgr = session.manager;
                if (imageShape != null) {
                    NDList out = block.forward(store, new NDList(mgr.zeros(new Shape(imageShape))), true);
                    if (featuresOutput >= out.size()) {
                        throw new ModelLoadException("The TorchScript image model returns " + out.size()
                                + " outputs; the features output is number " + (featuresOutput + 1));
                    }
                    Shape f = out.get(featuresOutput).getShape();
                    if (f.dimension() != 2) {
                        throw new ModelLoadException("The TorchScript image model's features output has shape " + f
                                + "; expected [batch, features]");
                    }
                    return (int) f.get(1);
                }
                Shape s = new Shape(1, 2);
                NDList out = block.forward(store, new NDList(mgr.create(new long[] {101, 102}, s),
                        mgr.create(new long[] {1, 1}, s), mgr.create(new long[] {0, 0}, s)), true);
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
        return load(session, torchscript, classes, w, b, selection, settings, null, 0);
    }

    /**
     * Loads an image model {@code torchscript} (one input of shape {@code imageShape} per image, e.g.
     * {@code [1, 224, 224, 3]}) with a linear head {@code w} / {@code b} on output number {@code featuresOutput}
     * (0-based, [batch, features]); an empty {@code w} means a zero head of the features' width.
     *
     * @param selection {@code none}, {@code all} or {@code last:N} (the top N numbered blocks plus what sits above them)
     */
    public static TorchScriptClassifier loadImage(TrainingSession session, Path torchscript, long[] imageShape,
                                                  int featuresOutput, int classes, float[] w, float[] b, String selection,
                                                  Settings settings) {
        if (imageShape.length < 2 || imageShape[0] != 1) {
            throw new IllegalArgumentException("imageShape is one image's tensor shape [1, ...], got "
                    + java.util.Arrays.toString(imageShape));
        }
        return load(session, torchscript, classes, w, b, selection, settings, imageShape.clone(), featuresOutput);
    }

    private static TorchScriptClassifier load(TrainingSession session, Path torchscript, int classes, float[] w, float[] b,
                                              String selection, Settings settings, long[] imageShape, int featuresOutput) {
        Model model = Model.newInstance("backbone", ai.djl.Device.cpu(), "PyTorch");
        try {
            Map<String, String> options = new HashMap<String, String>();
            options.put("mapLocation", "true");
            options.put("trainParam", "true");
            model.load(torchscript, null, options);
            return new TorchScriptClassifier(session, model, classes, w, b, selection, settings, imageShape, featuresOutput);
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
        if (!m.find()) {
            return -1;
        }
        return m.group(3) != null ? 0 : Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
    }

    /**
     * Unnumbered parameters that sit above the layer stack (e.g. a pooler or final norm; Keras MobileNetV2's final 1x1
     * convolution {@code Conv_1} and its BatchNorm {@code Conv_1_bn}), trained with the top layers.
     */
    private static boolean isAfterLayers(String name) {
        String local = name.substring(name.lastIndexOf('.') + 1);
        return name.startsWith("pooler.") || name.startsWith("final_") || name.startsWith("norm.")
                || name.startsWith("classifier.") || local.startsWith("Conv_1_");
    }

    /**
     * Whether a selected parameter may train: never BatchNorm running statistics, never an image module's own
     * classification layers (they come after the features output), BatchNorm scale and shift only when asked.
     */
    static boolean trainable(String name, boolean image, boolean trainBatchNorm) {
        if (RUNNING_STATS.matcher(name).find()) {
            return false;
        }
        if (image && IMAGE_TOP.matcher(name).find()) {
            return false;
        }
        return trainBatchNorm || !BATCH_NORM_AFFINE.matcher(name).find();
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

    /** The text encoder's inputs as tensors of the current scope. */
    private NDList textInputs(long[] ids, long[] mask, long[] types, int batch, int seq) {
        requireKind(false);
        NDManager mgr = session.manager;
        Shape s = new Shape(batch, seq);
        return new NDList(mgr.create(ids, s), mgr.create(mask, s), mgr.create(types, s));
    }

    /** A batch of preprocessed images ({@code batch} images of the load-time shape, flat) as a tensor of the current scope. */
    private NDList imageInputs(float[] pixels, int batch) {
        requireKind(true);
        long[] shape = imageShape.clone();
        shape[0] = batch;
        Shape s = new Shape(shape);
        if (pixels.length != s.size()) {
            throw new IllegalArgumentException(batch + " images of shape " + java.util.Arrays.toString(imageShape)
                    + " need " + s.size() + " values, got " + pixels.length);
        }
        return new NDList(session.manager.create(pixels, s));
    }

    private void requireKind(boolean image) {
        if (image != (imageShape != null)) {
            throw new IllegalStateException("This model is " + (imageShape != null ? "an image" : "a text") + " backbone");
        }
    }

    /** The head's input: the masked mean of the text encoder's output, L2-normalised; or the image features output. */
    private NDArray features(NDList in) {
        NDList out = block.forward(store, in, true);     // always training mode (see the constructor)
        if (imageShape != null) {
            return out.get(featuresOutput);
        }
        NDArray m = in.get(1).toType(DataType.FLOAT32, false).expandDims(2);
        NDArray pooled = out.get(0).mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}).maximum(1e-9f));
        NDArray norm = pooled.square().sum(new int[] {1}, true).sqrt().maximum(1e-12f);
        return pooled.div(norm);
    }

    private NDArray logits(NDList in) {
        return features(in).matMul(headW.transpose()).add(headB);
    }

    /**
     * Forward and backward of one micro-batch (row-major [batch, seq] int64 inputs, right-padded), its
     * mean cross-entropy scaled by {@code scale} (1 / micro-batches per step) added to the accumulated
     * gradients. Returns the unscaled mean loss.
     */
    public double accumulate(long[] ids, long[] mask, long[] types, int batch, int seq, int[] labels, double scale) {
        try (NDScope scope = new NDScope()) {
            return accumulate(textInputs(ids, mask, types, batch, seq), batch, labels, scale);
        }
    }

    /**
     * {@link #accumulate(long[], long[], long[], int, int, int[], double)} for an image model: {@code batch} preprocessed
     * images, flat in the load-time layout.
     */
    public double accumulateImages(float[] pixels, int batch, int[] labels, double scale) {
        try (NDScope scope = new NDScope()) {
            return accumulate(imageInputs(pixels, batch), batch, labels, scale);
        }
    }

    private double accumulate(NDList in, int batch, int[] labels, double scale) {
        NDManager mgr = session.manager;
        try (NDScope scope = new NDScope()) {
            NDArray loss;
            try (GradientCollector gc = session.engine.newGradientCollector()) {
                NDArray logits = logits(in);
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
            return rows(noGradRun(() -> features(textInputs(ids, mask, types, batch, seq))), batch);
        }
    }

    /** The image features output of {@code batch} preprocessed images (no gradients), [batch][features]. */
    public float[][] imageFeatures(float[] pixels, int batch) {
        try (NDScope scope = new NDScope()) {
            return rows(noGradRun(() -> features(imageInputs(pixels, batch))), batch);
        }
    }

    /** Class probabilities of {@code batch} preprocessed images (no gradients). */
    public float[][] imageProbabilities(float[] pixels, int batch) {
        try (NDScope scope = new NDScope()) {
            return rows(noGradRun(() -> logits(imageInputs(pixels, batch)).softmax(1)), batch);
        }
    }

    /** Evaluates {@code f} with autograd off and copies the result to the JVM. */
    private static float[] noGradRun(java.util.function.Supplier<NDArray> f) {
        boolean grad = ai.djl.pytorch.jni.JniUtils.isGradMode();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        try {
            return f.get().toFloatArray();
        } finally {
            ai.djl.pytorch.jni.JniUtils.setGradMode(grad);
        }
    }

    private static float[][] rows(float[] flat, int batch) {
        int d = flat.length / batch;
        float[][] out = new float[batch][d];
        for (int i = 0; i < batch; i++) {
            System.arraycopy(flat, i * d, out[i], 0, d);
        }
        return out;
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
            return rows(noGradRun(() -> logits(textInputs(ids, mask, types, batch, seq)).softmax(1)), batch);
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
